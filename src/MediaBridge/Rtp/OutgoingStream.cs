namespace MediaBridge.Rtp;

/// <summary>
/// What one receiver sees of a switched stream: a single SSRC with sequence numbers that never
/// jump and timestamps that keep advancing, whichever source is feeding it (RFC 3550 §5.1, and
/// the RFC 7667 §3.7 switching mixer topology).
/// </summary>
public sealed class OutgoingStream(uint ssrc, int clockRate)
{
    private uint? source;
    private ushort sequenceOffset;
    private uint timestampOffset;
    private ushort lastSequence;
    private uint lastTimestamp;
    private long lastSentAt;
    private bool started;

    public uint Ssrc { get; } = ssrc;

    public int ClockRate { get; } = clockRate;

    /// <summary>Rewrites a packet of <paramref name="sourceSsrc"/> for this receiver; a new source re-anchors the offsets.</summary>
    public void Rewrite(Span<byte> packet, in RtpHeader header, uint sourceSsrc, long nowTicks)
    {
        if (source != sourceSsrc)
        {
            Anchor(header, nowTicks);
            source = sourceSsrc;
        }

        var sequence = (ushort)(header.SequenceNumber + sequenceOffset);
        var timestamp = header.Timestamp + timestampOffset;
        RtpHeader.Rewrite(packet, sequence, timestamp, Ssrc);
        if (!started || (short)(sequence - lastSequence) > 0)
        {
            lastSequence = sequence;
            lastTimestamp = timestamp;
            lastSentAt = nowTicks;
            started = true;
        }
    }

    /// <summary>The new source continues one sequence number on, and its timestamp by the wall-clock time since the last packet.</summary>
    private void Anchor(in RtpHeader header, long nowTicks)
    {
        if (!started)
        {
            sequenceOffset = 0;
            timestampOffset = 0;
            return;
        }

        var elapsed = Math.Max(1, (nowTicks - lastSentAt) * ClockRate / TimeSpan.TicksPerSecond);
        sequenceOffset = (ushort)(lastSequence + 1 - header.SequenceNumber);
        timestampOffset = (uint)(lastTimestamp + (uint)elapsed - header.Timestamp);
    }
}
