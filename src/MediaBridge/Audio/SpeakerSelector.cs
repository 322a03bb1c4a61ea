namespace MediaBridge.Audio;

/// <summary>
/// Picks a conference's active speakers each 20 ms frame: the loudest few of the legs that contributed a
/// frame. Only they get an N-1 mix of their own; everyone else hears the speakers' sum, so a room's audio
/// costs one mix per speaker plus one shared mix, whatever its size (as Jitsi and LiveKit do).
/// A leg's level rises at once and decays slowly, and a speaker is only displaced by a clearly louder leg
/// after it has held its place for a while, so the set does not flap between two legs of similar level.
/// While no more legs contribute than there are places, all of them are speakers: small rooms hear exactly
/// the full N-1 mix; beyond that a silent leg takes no place. Not thread-safe; allocates nothing per frame once the room's legs are known.
/// </summary>
public sealed class SpeakerSelector
{
    public const int DefaultCount = 3;

    /// <summary>How much more energy (here 2×, 3 dB) a challenger needs to displace a speaker.</summary>
    public const double DefaultMargin = 2.0;

    /// <summary>Frames (here 300 ms) a speaker keeps its place before a louder leg may take it.</summary>
    public const int DefaultHoldFrames = 15;

    /// <summary>Mean square energy below which (−60 dBFS) a leg is silent and takes no free place when places are contested.</summary>
    public const double SilenceEnergy = 1073.0;

    /// <summary>Frames (here 100 ms) a speaker whose audio is late keeps its place, so jitter does not hand it to another leg.</summary>
    public const int GapFrames = 5;

    /// <summary>Per-frame decay of a leg's level: about 90 ms to fall by 1/e.</summary>
    private const double Decay = 0.8;

    private readonly Dictionary<uint, Entry> entries = [];
    private readonly List<Entry> offered = [];
    private readonly List<uint> speakers = [];
    private readonly double margin;
    private readonly int holdFrames;
    private long frame;

    /// <param name="count">How many speakers at most; 1 or more.</param>
    /// <param name="margin">Energy ratio a challenger must exceed the weakest speaker's by; 1 or more.</param>
    /// <param name="holdFrames">Frames a speaker is kept before it may be displaced; 0 or more.</param>
    public SpeakerSelector(int count = DefaultCount, double margin = DefaultMargin, int holdFrames = DefaultHoldFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(margin, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(holdFrames);
        Count = count;
        this.margin = margin;
        this.holdFrames = holdFrames;
    }

    public int Count { get; }

    /// <summary>The speakers chosen by the last <see cref="Select"/>.</summary>
    public IReadOnlyList<uint> Speakers => speakers;

    /// <summary>Starts a frame: only legs offered from now until <see cref="Select"/> can be speakers.</summary>
    public void Begin()
    {
        frame++;
        offered.Clear();
    }

    /// <summary>A leg that contributes this frame (unmuted, with audio), with the frame it contributes.</summary>
    public void Offer(uint id, ReadOnlySpan<short> pcm)
    {
        if (!entries.TryGetValue(id, out var entry))
        {
            entry = new Entry(id);
            entries[id] = entry;
        }

        if (entry.Frame < frame - 1)
        {
            // Back after a silence or a mute: its old level says nothing about now.
            entry.Level = 0;
        }

        var energy = 0.0;
        foreach (var s in pcm)
        {
            energy += s * (double)s;
        }

        energy /= Math.Max(1, pcm.Length);
        entry.Level = Math.Max(energy, entry.Level * Decay);
        entry.Frame = frame;
        entry.Offered = frame;
        offered.Add(entry);
    }

    /// <summary>
    /// A leg that is present and unmuted but has no frame this time (its packets are late): a speaker keeps its
    /// place for up to <see cref="GapFrames"/> frames. A muted or departed leg is simply not offered, and loses it at once.
    /// </summary>
    public void Keep(uint id)
    {
        if (entries.TryGetValue(id, out var entry) && entry.Speaker && frame - entry.Offered <= GapFrames)
        {
            entry.Level *= Decay;
            entry.Frame = frame;
        }
    }

    /// <summary>Settles this frame's speakers; a leg not offered this frame (muted, silent, gone) is never one.</summary>
    public void Select()
    {
        for (var i = speakers.Count - 1; i >= 0; i--)
        {
            var entry = entries[speakers[i]];
            if (entry.Frame != frame)
            {
                entry.Speaker = false;
                speakers.RemoveAt(i);
            }
        }

        if (entries.Count > 4 * Math.Max(offered.Count, Count))
        {
            Forget();
        }

        if (offered.Count <= Count)
        {
            foreach (var entry in offered)
            {
                Promote(entry);
            }

            return;
        }

        offered.Sort(static (a, b) => b.Level.CompareTo(a.Level));
        foreach (var challenger in offered)
        {
            if (challenger.Speaker)
            {
                continue;
            }

            if (challenger.Level < SilenceEnergy)
            {
                break;
            }

            if (speakers.Count < Count)
            {
                Promote(challenger);
                continue;
            }

            var weakest = Weakest();
            if (weakest is null || challenger.Level <= margin * weakest.Level)
            {
                // The offers are sorted: nobody quieter can win either.
                break;
            }

            weakest.Speaker = false;
            speakers.Remove(weakest.Id);
            Promote(challenger);
        }
    }

    public bool IsSpeaker(uint id) => entries.TryGetValue(id, out var entry) && entry.Speaker;

    /// <summary>The quietest speaker that has held its place long enough to be displaced.</summary>
    private Entry? Weakest()
    {
        Entry? weakest = null;
        foreach (var id in speakers)
        {
            var entry = entries[id];
            if (frame - entry.Since >= holdFrames && (weakest is null || entry.Level < weakest.Level))
            {
                weakest = entry;
            }
        }

        return weakest;
    }

    private void Promote(Entry entry)
    {
        if (!entry.Speaker)
        {
            entry.Speaker = true;
            entry.Since = frame;
            speakers.Add(entry.Id);
        }
    }

    /// <summary>Drops legs that no longer contribute (left, or muted for long), so the table does not grow with churn.</summary>
    private void Forget()
    {
        List<uint>? stale = null;
        foreach (var (id, entry) in entries)
        {
            if (entry.Frame != frame)
            {
                (stale ??= []).Add(id);
            }
        }

        stale?.ForEach(id => entries.Remove(id));
    }

    private sealed class Entry(uint id)
    {
        public uint Id { get; } = id;

        public double Level { get; set; }

        public long Frame { get; set; }

        public long Offered { get; set; }

        public long Since { get; set; }

        public bool Speaker { get; set; }
    }
}
