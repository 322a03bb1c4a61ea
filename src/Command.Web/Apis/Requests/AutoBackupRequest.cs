namespace Command.Web.Apis.Requests;

/// <summary>Automatic backup for one session: on or off, and after how many seconds of a leg being down.</summary>
public sealed record AutoBackupRequest(bool? Enabled, int? AfterSeconds);
