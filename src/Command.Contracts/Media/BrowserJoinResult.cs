namespace Command.Contracts.Media;

/// <summary>The bridge's answer to a browser: the SDP answer and the leg's id, or why not.</summary>
[GenerateSerializer, Immutable, Alias("command.browser-join-result")]
public sealed record BrowserJoinResult(
    [property: Id(0)] BrowserJoinStatus Status,
    [property: Id(1)] string? AnswerSdp,
    [property: Id(2)] string? LegId,
    [property: Id(3)] string? Error)
{
    public static BrowserJoinResult Refused(BrowserJoinStatus status, string error) => new(status, null, null, error);
}
