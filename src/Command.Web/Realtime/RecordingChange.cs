using Command.Contracts.Recordings;

namespace Command.Web.Realtime;

/// <summary>A session's recording started, grew, paused at the disk floor (with its alarm), resumed or ended.</summary>
public sealed record RecordingChange(long Seq, RecordingInfo Recording);
