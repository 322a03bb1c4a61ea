namespace MediaBridge.Rtp;

public enum SwitchAction
{
    /// <summary>Send it to the receiver (after rewriting).</summary>
    Forward,

    /// <summary>Not for this receiver now.</summary>
    Drop,

    /// <summary>The new source's keyframe, kept until the old source's frame ends; see <see cref="VideoSwitch.TakeHeld"/>.</summary>
    Hold,
}
