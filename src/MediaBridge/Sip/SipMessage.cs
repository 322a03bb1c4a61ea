namespace MediaBridge.Sip;

/// <summary>What requests and responses share: headers and a body framed by Content-Length.</summary>
public abstract class SipMessage(SipHeaders headers, ReadOnlyMemory<byte> body)
{
    public SipHeaders Headers { get; } = headers;

    public ReadOnlyMemory<byte> Body { get; } = body;

    public string? CallId => Headers[HeaderNames.CallId];
}
