namespace MediaBridge.Rtsp;

/// <summary>
/// Turns H.264 RTP packets (RFC 6184) back into access units: single NAL unit packets, STAP-A
/// aggregates (§5.7.1) and FU-A fragments (§5.8). A unit ends with the marker bit or when the
/// timestamp moves on. A unit with a packet missing is dropped, never handed on half-made; after a
/// loss, units are dropped until the next keyframe, since what follows would not decode. SPS and
/// PPS seen in band or given from the SDP are put in front of an IDR that lacks them. Malformed
/// packets are counted and dropped, never thrown on.
/// </summary>
public sealed class H264Depacketizer
{
    private const int Sps = 7;
    private const int Pps = 8;
    private const int Idr = 5;

    private readonly List<byte[]> nals = [];
    private readonly List<byte> fragment = [];
    private byte[]? sps;
    private byte[]? pps;
    private uint timestamp;
    private bool open;
    private bool damaged;
    private bool fragmenting;
    private ushort? lastSequence;
    private bool awaitingKeyframe = true;

    public H264Depacketizer(IEnumerable<byte[]>? parameterSets = null)
    {
        foreach (var set in parameterSets ?? [])
        {
            Remember(set);
        }
    }

    public long Malformed { get; private set; }

    public long Lost { get; private set; }

    public long Dropped { get; private set; }

    /// <summary>Takes one RTP packet; returns the access units it completed (usually none or one).</summary>
    public IReadOnlyList<H264AccessUnit> Push(ReadOnlySpan<byte> packet)
    {
        var done = new List<H264AccessUnit>(1);
        if (packet.Length < 12 || packet[0] >> 6 != 2)
        {
            Malformed++;
            return done;
        }

        var csrcs = packet[0] & 0x0F;
        var headerLength = 12 + (4 * csrcs);
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < headerLength + 4)
            {
                Malformed++;
                return done;
            }

            headerLength += 4 + (4 * ((packet[headerLength + 2] << 8) | packet[headerLength + 3]));
        }

        var padding = (packet[0] & 0x20) != 0 ? packet[^1] : 0;
        if (packet.Length < headerLength + padding + 1)
        {
            Malformed++;
            return done;
        }

        var marker = (packet[1] & 0x80) != 0;
        var sequence = (ushort)((packet[2] << 8) | packet[3]);
        var ts = (uint)((packet[4] << 24) | (packet[5] << 16) | (packet[6] << 8) | packet[7]);
        var payload = packet[headerLength..^padding];

        if (open && ts != timestamp)
        {
            Finish(done);
        }

        if (lastSequence is { } last && (ushort)(last + 1) != sequence)
        {
            Lost += (ushort)(sequence - last - 1);
            damaged = true;
            fragmenting = false;
            fragment.Clear();
        }

        lastSequence = sequence;
        if (!open)
        {
            (open, timestamp) = (true, ts);
        }

        Read(payload);
        if (marker)
        {
            Finish(done);
        }

        return done;
    }

    private void Read(ReadOnlySpan<byte> payload)
    {
        var type = payload[0] & 0x1F;
        switch (type)
        {
            case >= 1 and <= 23:
                Add(payload.ToArray());
                break;
            case 24:
                var at = 1;
                while (at + 2 <= payload.Length)
                {
                    var size = (payload[at] << 8) | payload[at + 1];
                    at += 2;
                    if (size == 0 || at + size > payload.Length)
                    {
                        Malformed++;
                        damaged = true;
                        return;
                    }

                    Add(payload.Slice(at, size).ToArray());
                    at += size;
                }

                break;
            case 28:
                if (payload.Length < 2)
                {
                    Malformed++;
                    damaged = true;
                    return;
                }

                var start = (payload[1] & 0x80) != 0;
                var end = (payload[1] & 0x40) != 0;
                if (start)
                {
                    fragment.Clear();
                    fragment.Add((byte)((payload[0] & 0xE0) | (payload[1] & 0x1F)));
                    fragmenting = true;
                }
                else if (!fragmenting)
                {
                    damaged = true;
                    return;
                }

                foreach (var b in payload[2..])
                {
                    fragment.Add(b);
                }

                if (end)
                {
                    fragmenting = false;
                    Add([.. fragment]);
                    fragment.Clear();
                }

                break;
            default:
                // STAP-B, MTAPs and FU-B belong to interleaved mode, which a camera's SDP would have to ask for.
                Malformed++;
                damaged = true;
                break;
        }
    }

    private void Add(byte[] nal)
    {
        Remember(nal);
        nals.Add(nal);
    }

    private void Remember(byte[] nal)
    {
        switch (nal.Length > 0 ? nal[0] & 0x1F : 0)
        {
            case Sps:
                sps = nal;
                break;
            case Pps:
                pps = nal;
                break;
        }
    }

    private void Finish(List<H264AccessUnit> done)
    {
        if (fragmenting)
        {
            damaged = true;
        }

        var keyframe = nals.Any(n => (n[0] & 0x1F) == Idr);
        if (damaged || nals.Count == 0)
        {
            Dropped += nals.Count > 0 || damaged ? 1 : 0;
            awaitingKeyframe = true;
        }
        else if (keyframe && sps is not null && pps is not null)
        {
            var unit = new List<byte[]>(nals.Count + 2);
            if (!nals.Any(n => (n[0] & 0x1F) == Sps))
            {
                unit.Add(sps);
            }

            if (!nals.Any(n => (n[0] & 0x1F) == Pps))
            {
                unit.Add(pps);
            }

            unit.AddRange(nals);
            done.Add(new H264AccessUnit(timestamp, unit, Keyframe: true));
            awaitingKeyframe = false;
        }
        else if (!awaitingKeyframe && nals.Any(n => (n[0] & 0x1F) is >= 1 and <= 5))
        {
            done.Add(new H264AccessUnit(timestamp, [.. nals], Keyframe: false));
        }
        else
        {
            Dropped++;
        }

        nals.Clear();
        fragment.Clear();
        (open, damaged, fragmenting) = (false, false, false);
    }
}
