namespace Command.Web.Apis.Requests;

/// <summary>Cascaded roll call (级联点名): the deployment below, joined as <see cref="VenueId"/>, is asked to send up its venue <see cref="RemoteVenueId"/> (null: its own broadcast again).</summary>
public sealed record CascadeRollCallRequest(string? VenueId, string? RemoteVenueId);
