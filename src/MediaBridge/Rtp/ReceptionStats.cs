namespace MediaBridge.Rtp;

/// <summary>
/// What one incoming stream has delivered: extended highest sequence number, expected and lost
/// packets, and interarrival jitter, kept as RFC 3550 appendix A.1, A.3 and A.8 describe.
/// </summary>
public sealed class ReceptionStats(int clockRate)
{
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;

    private ushort maxSequence;
    private uint cycles;
    private uint baseSequence;
    private long lastTransit;
    private double jitter;
    private long expectedPrior;
    private long receivedPrior;

    public bool Started { get; private set; }

    public uint Ssrc { get; private set; }

    public long Received { get; private set; }

    public long Bytes { get; private set; }

    public uint ExtendedHighest => cycles + maxSequence;

    public long Expected => Started ? (long)ExtendedHighest - baseSequence + 1 : 0;

    /// <summary>Cumulative loss; negative when duplicates outnumber losses (§6.4.1).</summary>
    public long Lost => Expected - Received;

    /// <summary>Interarrival jitter in timestamp units.</summary>
    public uint Jitter => (uint)jitter;

    public double JitterMilliseconds => jitter * 1000 / clockRate;

    public void Update(in RtpHeader header, int length, long nowTicks)
    {
        var arrival = nowTicks * clockRate / TimeSpan.TicksPerSecond;
        if (!Started || header.Ssrc != Ssrc)
        {
            Restart(header);
        }
        else
        {
            var delta = (ushort)(header.SequenceNumber - maxSequence);
            if (delta < MaxDropout)
            {
                if (header.SequenceNumber < maxSequence)
                {
                    cycles += 65536;
                }

                maxSequence = header.SequenceNumber;
            }
            else if (delta <= 65536 - MaxMisorder)
            {
                // A very large jump: the sender restarted its numbering.
                Restart(header);
            }
        }

        Received++;
        Bytes += length;
        var transit = arrival - header.Timestamp;
        if (Received > 1)
        {
            var d = Math.Abs((int)(transit - lastTransit));
            jitter += (d - jitter) / 16.0;
        }

        lastTransit = transit;
    }

    /// <summary>The fraction lost since the last call, in 1/256 units (§6.4.1, A.3).</summary>
    public byte TakeFractionLost()
    {
        var expectedInterval = Expected - expectedPrior;
        var receivedInterval = Received - receivedPrior;
        expectedPrior = Expected;
        receivedPrior = Received;
        var lostInterval = expectedInterval - receivedInterval;
        return expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
    }

    private void Restart(in RtpHeader header)
    {
        Ssrc = header.Ssrc;
        Started = true;
        maxSequence = header.SequenceNumber;
        baseSequence = header.SequenceNumber;
        cycles = 0;
        Received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
        jitter = 0;
    }
}
