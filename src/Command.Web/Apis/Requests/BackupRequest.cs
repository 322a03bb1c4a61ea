namespace Command.Web.Apis.Requests;

public sealed record BackupRequest(string? FailedVenueId);
