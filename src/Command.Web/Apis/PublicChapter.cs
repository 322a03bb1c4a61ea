namespace Command.Web.Apis;

/// <summary>
/// A chapter of a public broadcast: how far into the recording, the floor action, and the name of the venue or
/// camera that went on screen (null when nobody was broadcast). Who acted is not shown to the public.
/// </summary>
public sealed record PublicChapter(double OffsetSeconds, string Action, string? Name);
