namespace MediaBridge.Rtsp;

/// <summary>
/// One picture's NAL units (RFC 6184 §5.1: the packets of one RTP timestamp), without start codes.
/// A keyframe holds an IDR slice and, before it, the SPS and PPS a decoder needs to start there.
/// </summary>
public sealed record H264AccessUnit(uint Timestamp, IReadOnlyList<byte[]> Nals, bool Keyframe)
{
    /// <summary>The unit in Annex B form (each NAL after 00 00 00 01), as decoders and files take it.</summary>
    public byte[] AnnexB()
    {
        var output = new byte[Nals.Sum(n => n.Length + 4)];
        var at = 0;
        foreach (var nal in Nals)
        {
            output[at + 3] = 1;
            nal.CopyTo(output, at + 4);
            at += nal.Length + 4;
        }

        return output;
    }
}
