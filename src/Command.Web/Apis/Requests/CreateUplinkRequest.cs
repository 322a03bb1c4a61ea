namespace Command.Web.Apis.Requests;

/// <summary>
/// An uplink to the deployment above; the password is stored encrypted and never shown again. The optional
/// venue ids are those a relay session opened for the upper session's call gathers, the first chairing it.
/// </summary>
public sealed record CreateUplinkRequest(string? Name, string? Registrar, string? Username, string? Password, string?[]? VenueIds = null)
{
    public override string ToString() => $"CreateUplinkRequest {{ Name = {Name}, Registrar = {Registrar}, Username = {Username}, Password = ***, VenueIds = {string.Join(",", VenueIds ?? [])} }}";
}
