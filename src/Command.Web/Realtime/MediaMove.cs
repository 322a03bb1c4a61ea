namespace Command.Web.Realtime;

/// <summary>
/// A session's media moved to another bridge: browsers joined to it rejoin at once. <see cref="Seq"/>
/// rises with each move of the session; <see cref="ToBridge"/> is null while no bridge is live.
/// </summary>
public sealed record MediaMove(long Seq, string SessionId, string? FromBridge, string? ToBridge, string Reason);
