using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaBridge.Dtls;

/// <summary>
/// One leg's DTLS-SRTP association (RFC 5764) as the server. The handshake, and after it the
/// reading of alerts such as close_notify, run on a thread of their own because BouncyCastle's
/// DTLS blocks; the thread ends when the association closes. Nothing it raises escapes.
/// </summary>
public sealed class DtlsSrtpEndpoint : IDisposable
{
    private static readonly BcTlsCrypto Crypto = new(new SecureRandom());

    private readonly DatagramChannel channel;
    private readonly DtlsSrtpServer server;
    private readonly TimeSpan handshakeLimit;
    private int started;
    private volatile bool disposed;

    public DtlsSrtpEndpoint(DtlsCertificate certificate, DtlsFingerprint remoteFingerprint, Action<ReadOnlySpan<byte>> send, TimeSpan? handshakeLimit = null)
    {
        channel = new DatagramChannel(send);
        server = new DtlsSrtpServer(Crypto, certificate, remoteFingerprint);
        this.handshakeLimit = handshakeLimit ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>Raised once on the endpoint's thread with the exported SRTP keys.</summary>
    public event Action<SrtpKeyMaterial>? Connected;

    /// <summary>Raised once when the handshake fails or the peer closes the association, with the reason.</summary>
    public event Action<string>? Closed;

    public bool IsConnected { get; private set; }

    /// <summary>Takes one DTLS record from the shared port; the first one starts the handshake.</summary>
    public void Receive(ReadOnlySpan<byte> record)
    {
        channel.Enqueue(record);
        if (Interlocked.Exchange(ref started, 1) == 0)
        {
            new Thread(Run) { IsBackground = true, Name = "dtls" }.Start();
        }
    }

    public void Dispose()
    {
        disposed = true;
        channel.Close();
    }

    private void Run()
    {
        string reason;
        using var deadline = new Timer(_ => { if (!IsConnected) channel.Close(); }, null, handshakeLimit, Timeout.InfiniteTimeSpan);
        try
        {
            var transport = new DtlsServerProtocol().Accept(server, channel);
            if (server.Keys is not { } keys)
            {
                throw new TlsFatalAlert(AlertDescription.internal_error);
            }

            IsConnected = true;
            Connected?.Invoke(keys);
            reason = ReadUntilClosed(transport);
        }
        catch (Exception e)
        {
            reason = disposed ? "the leg ended"
                : server.Failure ?? (IsConnected ? $"the DTLS association failed: {e.Message}" : $"the DTLS handshake failed: {e.Message}");
        }

        if (!disposed)
        {
            Closed?.Invoke(reason);
        }
    }

    /// <summary>Keeps the record layer reading so a retransmitted final flight is answered and close_notify is seen.</summary>
    private string ReadUntilClosed(DtlsTransport transport)
    {
        var buffer = new byte[transport.GetReceiveLimit()];
        try
        {
            while (!disposed)
            {
                transport.Receive(buffer, 0, buffer.Length, 1000);
                if (server.PeerClosed)
                {
                    return "the peer closed the DTLS association";
                }
            }
        }
        catch (TlsFatalAlertReceived alert) when (alert.AlertDescription == AlertDescription.close_notify)
        {
            return "the peer closed the DTLS association";
        }
        catch (TlsFatalAlert alert) when (alert.AlertDescription == AlertDescription.close_notify)
        {
            return disposed ? "the leg ended" : "the peer closed the DTLS association";
        }
        finally
        {
            try
            {
                transport.Close();
            }
            catch (Exception)
            {
                // The association is gone either way; a failing close_notify must not hide why.
            }
        }

        return "the leg ended";
    }
}
