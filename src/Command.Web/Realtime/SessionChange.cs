using Command.Contracts.Sessions;

namespace Command.Web.Realtime;

/// <summary>A session's floor state changed.</summary>
public sealed record SessionChange(long Seq, SessionSnapshot Session);
