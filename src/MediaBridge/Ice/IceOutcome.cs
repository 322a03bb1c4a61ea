namespace MediaBridge.Ice;

/// <summary>
/// The result of one connectivity check: the verdict, the STUN error code when rejected, and whether
/// the selected address moved, so the transport can send to the new one.
/// </summary>
public readonly record struct IceOutcome(IceVerdict Verdict, int ErrorCode = 0, bool SelectionChanged = false)
{
    public bool HasResponse => Verdict is IceVerdict.Rejected or IceVerdict.Accepted;
}
