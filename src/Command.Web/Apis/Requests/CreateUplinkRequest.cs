namespace Command.Web.Apis.Requests;

/// <summary>An uplink to the deployment above; the password is stored encrypted and never shown again.</summary>
public sealed record CreateUplinkRequest(string? Name, string? Registrar, string? Username, string? Password)
{
    public override string ToString() => $"CreateUplinkRequest {{ Name = {Name}, Registrar = {Registrar}, Username = {Username}, Password = *** }}";
}
