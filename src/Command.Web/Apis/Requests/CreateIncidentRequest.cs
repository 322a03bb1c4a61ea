namespace Command.Web.Apis.Requests;

public sealed record CreateIncidentRequest(string? Title, string? Type, int? Severity, string? RegionCode, string? Description = null);
