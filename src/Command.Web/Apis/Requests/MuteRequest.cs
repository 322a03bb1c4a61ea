namespace Command.Web.Apis.Requests;

/// <summary>Mutes one venue, or every venue but the chair when <see cref="VenueId"/> is absent.</summary>
public sealed record MuteRequest(string? VenueId, bool? Muted);
