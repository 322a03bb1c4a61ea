using System.Buffers.Binary;
using MediaBridge.Sdp;

namespace MediaBridge.Rtp.H264;

/// <summary>
/// A camera's latest group of pictures as RTP packets (RFC 6184): its newest keyframe, with the SPS
/// and PPS before it, and every packet since, so a receiver that switches to the camera can be sent
/// a decodable picture at once instead of waiting for the camera's next keyframe. Packets are taken
/// a picture (one timestamp) at a time; a picture with an IDR slice starts a new group. A lost or
/// damaged packet, or a group grown past its bounds, empties the cache until the next keyframe, since
/// what follows would not decode from it. Safe to fill from one thread while others take snapshots.
/// A VP8 cache (RFC 7741) starts its group at a picture whose first packet is a keyframe start (S bit set,
/// partition 0, P bit of the VP8 payload header clear) and needs no parameter sets.
/// </summary>
public sealed class GopCache(int maxPackets = 300, int maxBytes = 2 * 1024 * 1024, VideoCodec codec = VideoCodec.H264)
{
    private const int Idr = 5;
    private const int Sps = 7;
    private const int Pps = 8;

    private readonly Lock gate = new();
    private readonly List<byte[]> picture = [];
    private List<byte[]>? group;
    private int groupBytes;
    private int pictureBytes;
    private uint pictureTimestamp;
    private bool pictureHasIdr;
    private bool pictureHasSps;
    private bool pictureHasPps;
    private bool pictureDamaged;
    private ushort? lastSequence;
    private uint? lastSsrc;
    private byte[]? sps;
    private byte[]? pps;

    public int MaxPackets { get; } = maxPackets;

    public int MaxBytes { get; } = maxBytes;

    public VideoCodec Codec { get; } = codec;

    /// <summary>Packets a snapshot would give now (the group and the picture under way).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return group is null ? 0 : group.Count + (pictureDamaged ? 0 : picture.Count);
            }
        }
    }

    public int Bytes
    {
        get
        {
            lock (gate)
            {
                return group is null ? 0 : groupBytes + (pictureDamaged ? 0 : pictureBytes);
            }
        }
    }

    /// <summary>Times a group was given up for growing past its bounds.</summary>
    public long Overflows { get; private set; }

    /// <summary>SPS and PPS known out of band (an RTSP description's sprop-parameter-sets), for keyframes that come without them.</summary>
    public void SetParameterSets(IEnumerable<byte[]> sets)
    {
        lock (gate)
        {
            foreach (var set in sets)
            {
                Remember(set);
            }
        }
    }

    /// <summary>Takes one RTP packet of the camera, in arrival order; anything that is not H.264 RTP is ignored.</summary>
    public void Add(ReadOnlySpan<byte> packet)
    {
        if (!RtpHeader.TryRead(packet, out var header) || header.PayloadLength == 0)
        {
            return;
        }

        lock (gate)
        {
            if (lastSsrc != header.Ssrc)
            {
                // A camera that restarted numbers afresh: nothing of before goes with what follows.
                (lastSsrc, lastSequence, group, groupBytes) = (header.Ssrc, null, null, 0);
                picture.Clear();
                (pictureBytes, pictureHasIdr, pictureHasSps, pictureHasPps, pictureDamaged) = (0, false, false, false, false);
            }

            if (lastSequence is { } last)
            {
                var step = (short)(header.SequenceNumber - last);
                if (step <= 0 && step > -1000)
                {
                    return;
                }

                if (step is not 1)
                {
                    // Whatever refers to the lost packet would not decode: nothing is kept until the next keyframe.
                    group = null;
                    groupBytes = 0;
                    pictureDamaged = true;
                }
            }

            lastSequence = header.SequenceNumber;
            if (picture.Count > 0 && header.Timestamp != pictureTimestamp)
            {
                FinishPicture();
            }

            if (picture.Count == 0)
            {
                pictureTimestamp = header.Timestamp;
            }

            Scan(RtpHeader.Payload(packet, header));
            if (pictureBytes + packet.Length > MaxBytes || picture.Count >= MaxPackets)
            {
                pictureDamaged = true;
            }

            if (!pictureDamaged)
            {
                picture.Add(packet.ToArray());
                pictureBytes += packet.Length;
            }

            if (header.Marker)
            {
                FinishPicture();
            }
        }
    }

    /// <summary>
    /// Copies of the cached packets from the keyframe on, or none when no whole keyframe is held. With
    /// <paramref name="step"/> above zero the pictures' timestamps are drawn together, each <paramref name="step"/>
    /// after the one before and the newest left as it was, so a receiver decodes the group at once and
    /// carries on with the live pictures that follow, instead of playing the group out at its own pace.
    /// </summary>
    public List<byte[]> Snapshot(uint step = 0)
    {
        List<byte[]> copies;
        lock (gate)
        {
            if (group is null)
            {
                return [];
            }

            copies = [.. group.Select(p => (byte[])p.Clone())];
            if (!pictureDamaged)
            {
                copies.AddRange(picture.Select(p => (byte[])p.Clone()));
            }
        }

        if (step > 0 && copies.Count > 0)
        {
            var stamps = copies.Select(p => BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(4))).ToList();
            var pictures = 1;
            for (var i = 1; i < stamps.Count; i++)
            {
                pictures += stamps[i] != stamps[i - 1] ? 1 : 0;
            }

            var newest = stamps[^1];
            var index = 0;
            for (var i = 0; i < copies.Count; i++)
            {
                index += i > 0 && stamps[i] != stamps[i - 1] ? 1 : 0;
                BinaryPrimitives.WriteUInt32BigEndian(copies[i].AsSpan(4), newest - ((uint)(pictures - 1 - index) * step));
            }
        }

        return copies;
    }

    private void Scan(ReadOnlySpan<byte> payload)
    {
        if (Codec == VideoCodec.Vp8)
        {
            pictureHasIdr |= Keyframes.IsKeyframeStart(VideoCodec.Vp8, payload);
            return;
        }

        var type = payload[0] & 0x1F;
        switch (type)
        {
            case >= 1 and <= 23:
                Note(payload);
                break;
            case 24:
                for (var at = 1; at + 2 < payload.Length;)
                {
                    var size = BinaryPrimitives.ReadUInt16BigEndian(payload[at..]);
                    at += 2;
                    if (size == 0 || at + size > payload.Length)
                    {
                        pictureDamaged = true;
                        return;
                    }

                    Note(payload.Slice(at, size));
                    at += size;
                }

                break;
            case 28:
                if (payload.Length > 1 && (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) == Idr)
                {
                    pictureHasIdr = true;
                }

                break;
        }
    }

    private void Note(ReadOnlySpan<byte> nal)
    {
        switch (nal[0] & 0x1F)
        {
            case Idr:
                pictureHasIdr = true;
                break;
            case Sps:
                pictureHasSps = true;
                Remember(nal.ToArray());
                break;
            case Pps:
                pictureHasPps = true;
                Remember(nal.ToArray());
                break;
        }
    }

    private void Remember(byte[] nal)
    {
        switch (nal.Length > 1 ? nal[0] & 0x1F : 0)
        {
            case Sps:
                sps = nal;
                break;
            case Pps:
                pps = nal;
                break;
        }
    }

    private void FinishPicture()
    {
        if (pictureDamaged || picture.Count == 0)
        {
            // A damaged keyframe cannot start a group, and a damaged picture breaks the group it belongs to.
            group = null;
            groupBytes = 0;
        }
        else if (pictureHasIdr)
        {
            StartGroup();
        }
        else if (group is not null)
        {
            if (group.Count + picture.Count > MaxPackets || groupBytes + pictureBytes > MaxBytes)
            {
                Overflows++;
                group = null;
                groupBytes = 0;
            }
            else
            {
                group.AddRange(picture);
                groupBytes += pictureBytes;
            }
        }

        picture.Clear();
        (pictureBytes, pictureHasIdr, pictureHasSps, pictureHasPps, pictureDamaged) = (0, false, false, false, false);
    }

    /// <summary>
    /// The keyframe's picture begins a group from its first packet a decoder can start at (an access unit
    /// delimiter or SEI before the SPS is left out), after a STAP-A of the parameter sets it came without.
    /// </summary>
    private void StartGroup()
    {
        group = null;
        groupBytes = 0;
        var start = picture.FindIndex(p => RtpHeader.TryRead(p, out var h) && Keyframes.IsKeyframeStart(Codec, RtpHeader.Payload(p, h)));
        if (Codec == VideoCodec.Vp8)
        {
            // A VP8 keyframe is whole in itself; a packet before its start belongs to no picture a decoder could use.
            if (start >= 0)
            {
                group = [.. picture.Skip(start)];
                groupBytes = group.Sum(p => p.Length);
            }

            return;
        }

        var missing = new List<byte[]>(2);
        if (!pictureHasSps || start < 0)
        {
            missing.Add(sps!);
        }

        if (!pictureHasPps || start < 0)
        {
            missing.Add(pps!);
        }

        if (missing.Contains(null!))
        {
            return;
        }

        var first = picture[Math.Max(0, start)];
        group = new List<byte[]>(Math.Min(MaxPackets, 64));
        if (missing.Count > 0)
        {
            RtpHeader.TryRead(first, out var header);
            var stap = new byte[RtpHeader.FixedLength + 1 + missing.Sum(n => n.Length + 2)];
            stap[0] = 0x80;
            stap[1] = (byte)(first[1] & 0x7F);
            RtpHeader.Rewrite(stap, (ushort)(header.SequenceNumber - 1), header.Timestamp, header.Ssrc);
            var at = RtpHeader.FixedLength;
            stap[at++] = (byte)(0x18 | missing.Max(n => n[0] & 0x60));
            foreach (var nal in missing)
            {
                BinaryPrimitives.WriteUInt16BigEndian(stap.AsSpan(at), (ushort)nal.Length);
                nal.CopyTo(stap, at + 2);
                at += nal.Length + 2;
            }

            group.Add(stap);
            groupBytes += stap.Length;
        }

        foreach (var packet in picture.Skip(Math.Max(0, start)))
        {
            group.Add(packet);
            groupBytes += packet.Length;
        }
    }
}
