using Command.Contracts.Sessions;

namespace Command.Web.Apis;

/// <summary>
/// An approved public session as anyone may see it: <see cref="State"/> is live or ended; <see cref="Hls"/> is its playlist's URL;
/// <see cref="Chapters"/> are its latest recording's floor changes, where a viewer can jump to.
/// </summary>
public sealed record PublicBroadcast(string SessionId, string Title, SessionPhase State, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string Hls)
{
    public IReadOnlyList<PublicChapter> Chapters { get; init; } = [];
}
