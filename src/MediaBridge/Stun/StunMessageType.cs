namespace MediaBridge.Stun;

/// <summary>
/// The Binding message types (RFC 8489 §5): the method bits interleaved with the two class bits,
/// C1 (0x0100) and C0 (0x0010).
/// </summary>
public static class StunMessageType
{
    public const ushort BindingRequest = 0x0001;
    public const ushort BindingIndication = 0x0011;
    public const ushort BindingSuccessResponse = 0x0101;
    public const ushort BindingErrorResponse = 0x0111;

    /// <summary>True for the request class, whatever the method.</summary>
    public static bool IsRequest(ushort type) => (type & 0x0110) == 0;
}
