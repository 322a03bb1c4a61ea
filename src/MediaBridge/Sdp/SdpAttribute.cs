namespace MediaBridge.Sdp;

/// <summary><c>a=name</c> or <c>a=name:value</c> (RFC 4566 §5.13).</summary>
public sealed record SdpAttribute(string Name, string? Value)
{
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";
}
