using Command.Contracts.Incidents;

namespace Command.Web.Realtime;

/// <summary>An incident changed: status, level, links or its own timeline.</summary>
public sealed record IncidentChange(long Seq, IncidentSnapshot Incident);
