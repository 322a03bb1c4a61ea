using System.Buffers;
using MediaBridge.Sdp;

namespace MediaBridge.Rtp;

/// <summary>
/// One receiver's choice of video source. A switch never sends an undecodable frame: the old source
/// keeps flowing until the new source's keyframe starts, and that keyframe is held back until the
/// old source's current frame has ended (its marker bit, RFC 3550 §5.1) so no frame is cut short.
/// </summary>
public sealed class VideoSwitch(VideoCodec codec)
{
    /// <summary>Longest wait for the old frame to end once the new keyframe is here (a lost marker must not stall the switch).</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromMilliseconds(100);

    private readonly Queue<(byte[] Buffer, int Length)> held = new();
    private bool currentFrameOpen;
    private long holdingSince;

    public uint? Current { get; private set; }

    public uint? Pending { get; private set; }

    /// <summary>Set when a source was chosen and has not yet shown a keyframe; the caller asks it for one (PLI/FIR).</summary>
    public bool WantsKeyframe => Pending is not null && held.Count == 0;

    public int HeldCount => held.Count;

    public void Select(uint source)
    {
        if (source == Current && Pending is null)
        {
            return;
        }

        ReleaseHeld();
        Pending = source == Current ? null : source;
    }

    /// <summary>The current source restarted its stream: nothing more of it is sent until its next keyframe.</summary>
    public void AwaitKeyframe()
    {
        if (Current is { } current && Pending is null)
        {
            ReleaseHeld();
            (Current, Pending, currentFrameOpen) = (null, current, false);
        }
    }

    public SwitchAction Offer(uint source, in RtpHeader header, ReadOnlySpan<byte> packet, long nowTicks)
    {
        if (Pending is not null && held.Count > 0 && nowTicks - holdingSince > MaxHold.Ticks)
        {
            // The old frame's end never came (its marker was lost, or the source stopped): switch anyway.
            Commit();
        }

        if (source == Pending)
        {
            if (held.Count == 0 && !Keyframes.IsKeyframeStart(codec, RtpHeader.Payload(packet, header)))
            {
                return SwitchAction.Drop;
            }

            if (held.Count == 0 && (Current is null || !currentFrameOpen))
            {
                Commit();
                currentFrameOpen = !header.Marker;
                return SwitchAction.Forward;
            }

            if (held.Count == 0)
            {
                holdingSince = nowTicks;
            }

            Keep(packet);
            return SwitchAction.Hold;
        }

        if (source != Current)
        {
            return SwitchAction.Drop;
        }

        if (held.Count > 0 && Pending is null)
        {
            // The switch is made but the keyframe is still queued: stay behind it.
            Keep(packet);
            return SwitchAction.Hold;
        }

        currentFrameOpen = !header.Marker;
        return SwitchAction.Forward;
    }

    /// <summary>
    /// After every <see cref="Offer"/>, the caller drains what the switch releases: the held keyframe
    /// packets, in arrival order, once the old frame has ended. The caller returns each buffer to the pool.
    /// </summary>
    public bool TakeHeld(out byte[] buffer, out int length)
    {
        buffer = [];
        length = 0;
        if (held.Count == 0 || (Pending is not null && currentFrameOpen))
        {
            return false;
        }

        if (Pending is not null)
        {
            Commit();
            currentFrameOpen = true;
        }

        (buffer, length) = held.Dequeue();
        return true;
    }

    private void Keep(ReadOnlySpan<byte> packet)
    {
        var copy = ArrayPool<byte>.Shared.Rent(packet.Length);
        packet.CopyTo(copy);
        held.Enqueue((copy, packet.Length));
    }

    private void Commit()
    {
        Current = Pending;
        Pending = null;
    }

    private void ReleaseHeld()
    {
        while (held.TryDequeue(out var item))
        {
            ArrayPool<byte>.Shared.Return(item.Buffer);
        }
    }
}
