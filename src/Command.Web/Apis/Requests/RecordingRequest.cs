namespace Command.Web.Apis.Requests;

public sealed record RecordingRequest(bool? On);
