using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace MediaBridge.Dtls;

/// <summary>
/// Bridges the blocking datagram interface BouncyCastle's DTLS expects to the leg's shared port:
/// the port's receive loop queues DTLS records (RFC 7983 §7 first byte 20–63) here, and records
/// the handshake sends go out through the leg's current ICE pair.
/// </summary>
internal sealed class DatagramChannel(Action<ReadOnlySpan<byte>> send) : DatagramTransport
{
    /// <summary>What fits in one datagram on any path WebRTC uses, so handshake flights fragment instead of being dropped.</summary>
    private const int SendLimit = 1200;
    private const int ReceiveLimit = 1500;
    private const int MaxQueued = 64;

    private readonly BlockingCollection<byte[]> queue = new(new ConcurrentQueue<byte[]>(), MaxQueued);
    private volatile bool closed;

    public void Enqueue(ReadOnlySpan<byte> record)
    {
        if (!closed && record.Length <= ReceiveLimit)
        {
            queue.TryAdd(record.ToArray());
        }
    }

    public int GetReceiveLimit() => ReceiveLimit;

    public int GetSendLimit() => SendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (closed)
        {
            throw new TlsFatalAlert(AlertDescription.close_notify);
        }

        try
        {
            if (!queue.TryTake(out var record, waitMillis))
            {
                return closed ? throw new TlsFatalAlert(AlertDescription.close_notify) : -1;
            }

            var length = Math.Min(record.Length, buffer.Length);
            record.AsSpan(0, length).CopyTo(buffer);
            return length;
        }
        catch (ObjectDisposedException)
        {
            throw new TlsFatalAlert(AlertDescription.close_notify);
        }
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (!closed)
        {
            send(buffer);
        }
    }

    public void Close()
    {
        closed = true;
        queue.CompleteAdding();
    }
}
