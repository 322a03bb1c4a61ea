using System.Collections.Concurrent;
using MediaBridge.Dtls;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaBridge.Tests.Dtls;

/// <summary>
/// The browser's side of DTLS-SRTP, on BouncyCastle's own client: offers the given SRTP profiles,
/// presents its certificate, checks the bridge's against the expected fingerprint and exports keys.
/// </summary>
internal sealed class TestDtlsClient(BcTlsCrypto crypto, DtlsCertificate own, DtlsFingerprint expectedServer, int[] profiles) : DefaultTlsClient(crypto)
{
    public static readonly BcTlsCrypto Shared = new(new SecureRandom());

    private BcTlsCrypto BcCrypto => crypto;

    private DtlsCertificate Own => own;

    private DtlsFingerprint ExpectedServer => expectedServer;

    public byte[]? Exported { get; private set; }

    public int? Profile { get; private set; }

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        var extensions = base.GetClientExtensions() ?? new Dictionary<int, byte[]>();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData(profiles, TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        Profile = TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions)?.ProtectionProfiles[0];
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Exported = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, Profile == 7 ? 56 : 60);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    private sealed class Authentication(TestDtlsClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
            if (!client.ExpectedServer.Matches(serverCertificate.Certificate.GetCertificateAt(0).GetEncoded()))
            {
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }
        }

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest)
        {
            var chain = new Certificate([client.BcCrypto.CreateCertificate(client.Own.Der)]);
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(client.m_context), client.BcCrypto, client.Own.PrivateKey, chain,
                SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }
    }
}

/// <summary>A datagram pipe into the client: what the bridge's endpoint sends lands here.</summary>
internal sealed class ClientPipe(Action<byte[]> toServer) : DatagramTransport
{
    private readonly BlockingCollection<byte[]> inbox = [];

    public void Deliver(ReadOnlySpan<byte> datagram) => inbox.Add(datagram.ToArray());

    public int GetReceiveLimit() => 1500;

    public int GetSendLimit() => 1200;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (!inbox.TryTake(out var datagram, waitMillis))
        {
            return -1;
        }

        datagram.CopyTo(buffer);
        return datagram.Length;
    }

    public void Send(byte[] buf, int off, int len) => toServer(buf.AsSpan(off, len).ToArray());

    public void Send(ReadOnlySpan<byte> buffer) => toServer(buffer.ToArray());

    public void Close() => inbox.CompleteAdding();
}
