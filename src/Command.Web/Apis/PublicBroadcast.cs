using Command.Contracts.Sessions;

namespace Command.Web.Apis;

/// <summary>An approved public session as anyone may see it: <see cref="State"/> is live or ended; <see cref="Hls"/> is its playlist's URL.</summary>
public sealed record PublicBroadcast(string SessionId, string Title, SessionPhase State, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string Hls);
