namespace MediaBridge.Sdp;

/// <summary><c>o=</c> (RFC 4566 §5.2): the session version must rise with every changed offer or answer (RFC 3264 §8).</summary>
public sealed record SdpOrigin(string Username, string SessionId, ulong SessionVersion, string NetType, string AddressType, string Address)
{
    public override string ToString() => $"{Username} {SessionId} {SessionVersion} {NetType} {AddressType} {Address}";
}
