namespace MediaBridge.Srtp;

/// <summary>
/// The highest index seen on one stream and a 64-packet replay window behind it (RFC 3711
/// §3.3.2), plus SRTP packet index estimation from a sequence number (§3.3.1, Appendix A).
/// The default value has seen nothing, so every index is new to it.
/// </summary>
internal struct SrtpReplayWindow
{
    public const int Size = 64;

    private ulong highest;
    private ulong seen;
    private bool started;

    public readonly ulong Highest => highest;

    /// <summary>
    /// The 48-bit index ROC * 2^16 + SEQ nearest the highest so far. False when that would be
    /// before the stream's first packet, or past the last ROC the key may cover.
    /// </summary>
    public readonly bool TryEstimateRtpIndex(ushort sequence, out ulong index)
    {
        index = sequence;
        if (!started)
        {
            return true;
        }

        var roc = (long)(highest >> 16);
        var last = (int)(highest & 0xFFFF);
        var guess = roc;
        if (last < 0x8000)
        {
            if (sequence - last > 0x8000)
            {
                guess = roc - 1;
            }
        }
        else if (last - 0x8000 > sequence)
        {
            guess = roc + 1;
        }

        if (guess is < 0 or > uint.MaxValue)
        {
            return false;
        }

        index = ((ulong)guess << 16) | sequence;
        return true;
    }

    /// <summary>False for an index already accepted or too far behind the highest to tell.</summary>
    public readonly bool IsFresh(ulong index)
    {
        if (!started || index > highest)
        {
            return true;
        }

        var behind = highest - index;
        return behind < Size && (seen & (1UL << (int)behind)) == 0;
    }

    /// <summary>Records an index that passed authentication; the window slides forward if it is the highest.</summary>
    public void Accept(ulong index)
    {
        if (!started || index > highest)
        {
            var ahead = started ? index - highest : Size;
            seen = (ahead >= Size ? 0 : seen << (int)ahead) | 1;
            highest = index;
            started = true;
            return;
        }

        seen |= 1UL << (int)(highest - index);
    }
}
