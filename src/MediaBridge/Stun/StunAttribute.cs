namespace MediaBridge.Stun;

/// <summary>One attribute of a parsed message: its type and its value without the padding (RFC 8489 §14).</summary>
public readonly ref struct StunAttribute(ushort type, ReadOnlySpan<byte> value)
{
    public ushort Type { get; } = type;

    public ReadOnlySpan<byte> Value { get; } = value;
}
