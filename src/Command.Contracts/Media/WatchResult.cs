namespace Command.Contracts.Media;

/// <summary>The bridge's answer to a watch: the SDP answer and the watch's id, or why not.</summary>
[GenerateSerializer, Immutable, Alias("command.watch-result")]
public sealed record WatchResult(
    [property: Id(0)] WatchStatus Status,
    [property: Id(1)] string? AnswerSdp,
    [property: Id(2)] string? WatchId,
    [property: Id(3)] string? Error)
{
    public static WatchResult Refused(WatchStatus status, string error) => new(status, null, null, error);
}
