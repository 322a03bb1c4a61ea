namespace MediaBridge.Sdp;

/// <summary><c>c=IN IP4 192.0.2.1</c> (RFC 4566 §5.7).</summary>
public sealed record SdpConnection(string NetType, string AddressType, string Address)
{
    public override string ToString() => $"{NetType} {AddressType} {Address}";
}
