using Command.Contracts.Media;

namespace Command.Web.Realtime;

/// <summary>A session's media legs were measured again; <see cref="Seq"/> counts the reports of this session.</summary>
public sealed record MediaChange(long Seq, SessionMedia Media);
