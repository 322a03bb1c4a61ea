using Command.Contracts.Incidents;

namespace Command.Web.Apis.Requests;

public sealed record IncidentStatusRequest(IncidentStatus? Status);
