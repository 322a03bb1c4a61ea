using Command.Contracts.Incidents;

namespace Command.Web.Apis.Requests;

/// <summary>A status change; closing an incident with sessions still running names their fate, and keeping them needs a reason.</summary>
public sealed record IncidentStatusRequest(IncidentStatus? Status, ClosingSessions? Sessions = null, string? Reason = null);
