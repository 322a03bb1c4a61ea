namespace MediaBridge.Sdp;

/// <summary><c>c=IN IP4 192.0.2.1</c> (RFC 4566 §5.7).</summary>
public sealed record SdpConnection(string NetType, string AddressType, string Address)
{
    public override string ToString() => $"{NetType} {AddressType} {Address}";

    /// <summary>An Internet connection to <paramref name="address"/>, IP4 or IP6 as its form says.</summary>
    public static SdpConnection For(string address) => new("IN", AddressTypeOf(address), address);

    public static string AddressTypeOf(string address) => address.Contains(':', StringComparison.Ordinal) ? "IP6" : "IP4";
}
