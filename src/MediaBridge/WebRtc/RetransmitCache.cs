namespace MediaBridge.WebRtc;

/// <summary>
/// The last protected video packets sent to a browser, by sequence number, so a generic NACK
/// (RFC 4585 §6.2.1) is answered with the very bytes that were lost. Resending them unchanged
/// reuses no SRTP index: the receiver never saw them, so its replay window still admits them.
/// </summary>
public sealed class RetransmitCache(int capacity = 512)
{
    private readonly byte[][] packets = Enumerable.Range(0, capacity).Select(_ => new byte[Rtp.RtpSocket.MaxPacket + Srtp.SrtpSession.MaxRtcpOverhead]).ToArray();
    private readonly int[] lengths = new int[capacity];
    private readonly int[] sequences = Enumerable.Repeat(-1, capacity).ToArray();

    public void Keep(ushort sequence, ReadOnlySpan<byte> protectedPacket)
    {
        var slot = sequence % packets.Length;
        if (protectedPacket.Length > packets[slot].Length)
        {
            return;
        }

        protectedPacket.CopyTo(packets[slot]);
        lengths[slot] = protectedPacket.Length;
        sequences[slot] = sequence;
    }

    /// <summary>The packet sent with <paramref name="sequence"/>, if it is still held.</summary>
    public bool TryGet(ushort sequence, out ReadOnlySpan<byte> protectedPacket)
    {
        var slot = sequence % packets.Length;
        protectedPacket = sequences[slot] == sequence ? packets[slot].AsSpan(0, lengths[slot]) : default;
        return sequences[slot] == sequence;
    }
}
