namespace MediaBridge.Sip;

/// <summary>A response: status code 100–699 and reason phrase.</summary>
public sealed class SipResponse(int statusCode, string reason, SipHeaders headers, ReadOnlyMemory<byte> body)
    : SipMessage(headers, body)
{
    public int StatusCode { get; } = statusCode;

    public string Reason { get; } = reason;
}
