namespace MediaBridge.Sip;

/// <summary>A request: method, Request-URI (still text; see <see cref="SipAdmission"/>) and version.</summary>
public sealed class SipRequest(string method, string requestUri, string version, SipHeaders headers, ReadOnlyMemory<byte> body)
    : SipMessage(headers, body)
{
    public string Method { get; } = method;

    public string RequestUri { get; } = requestUri;

    public string Version { get; } = version;
}
