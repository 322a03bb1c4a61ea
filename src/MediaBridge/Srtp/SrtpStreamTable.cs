namespace MediaBridge.Srtp;

/// <summary>
/// Per-SSRC state for one protocol of one session, bounded so a peer cannot grow it without limit.
/// </summary>
internal sealed class SrtpStreamTable(int capacity)
{
    private readonly Dictionary<uint, SrtpStream> streams = new(capacity);
    private long clock;

    public int Count => streams.Count;

    public SrtpStream? Find(uint ssrc) => streams.GetValueOrDefault(ssrc);

    /// <summary>
    /// Adds a stream, or returns null when full. For the sending side, where forgetting a stream
    /// would restart its ROC or SRTCP index and so reuse keystream.
    /// </summary>
    public SrtpStream? TryAdmit(uint ssrc)
    {
        if (streams.Count >= capacity)
        {
            return null;
        }

        var stream = new SrtpStream();
        streams.Add(ssrc, stream);
        return stream;
    }

    /// <summary>
    /// Adds a stream, evicting the one quiet longest when full and reusing its object. For the
    /// receiving side: a peer that renumbers its streams over a long call keeps working, at the
    /// price that an evicted stream's replay window is forgotten.
    /// </summary>
    public SrtpStream AdmitEvicting(uint ssrc)
    {
        if (TryAdmit(ssrc) is { } added)
        {
            return added;
        }

        var oldest = 0u;
        SrtpStream? stream = null;
        foreach (var (key, candidate) in streams)
        {
            if (stream is null || candidate.LastUsed < stream.LastUsed)
            {
                oldest = key;
                stream = candidate;
            }
        }

        streams.Remove(oldest);
        stream!.Window = default;
        stream.NextRtcpIndex = 0;
        streams.Add(ssrc, stream);
        return stream;
    }

    public void Touch(SrtpStream stream) => stream.LastUsed = ++clock;
}
