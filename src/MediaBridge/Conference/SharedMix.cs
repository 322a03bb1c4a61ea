namespace MediaBridge.Conference;

/// <summary>
/// A room's common mix, what every leg that is not an active speaker hears: encoded once a frame for each
/// format that some listener speaks, and the same payload sent to all of them (each under its own RTP header).
/// A leg that moves between this mix and its own N-1 mix switches encoders mid-stream. For G.711 that is
/// seamless. An Opus decoder meets state from another encoder (SILK's prediction, CELT's band energies) but
/// every 20 ms packet codes its SILK gains and shape independently, so the mismatch fades within a few frames,
/// much as after a lost packet: a small glitch at worst, and only when the speaker set changes, which its
/// hysteresis keeps rare. Used on the media clock only.
/// </summary>
internal sealed class SharedMix : IDisposable
{
    private readonly Dictionary<VoiceFormat, Slot> slots = [];

    /// <summary>The shared encoders, one per format heard so far.</summary>
    public IEnumerable<LegVoice> Voices => slots.Values.Select(s => s.Voice);

    /// <summary>The shared encoder for a listener of <paramref name="like"/>'s format, to be encoded this frame.</summary>
    public LegVoice Want(LegVoice like)
    {
        if (!slots.TryGetValue(like.Format, out var slot))
        {
            slot = new Slot(LegVoice.Shared(like.Codec));
            slots[like.Format] = slot;
        }

        slot.Wanted = true;
        return slot.Voice;
    }

    /// <summary>Encodes the frame once for each format wanted since the last call.</summary>
    public void Encode(ReadOnlySpan<short> mix)
    {
        foreach (var slot in slots.Values)
        {
            if (slot.Wanted)
            {
                slot.Voice.EncodeFrame(mix);
                slot.Wanted = false;
            }
        }
    }

    public void Dispose()
    {
        foreach (var slot in slots.Values)
        {
            slot.Voice.Dispose();
        }

        slots.Clear();
    }

    private sealed class Slot(LegVoice voice)
    {
        public LegVoice Voice { get; } = voice;

        public bool Wanted { get; set; }
    }
}
