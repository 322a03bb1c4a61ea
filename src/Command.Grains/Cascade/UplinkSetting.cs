namespace Command.Grains.Cascade;

/// <summary>One configured uplink (<c>Command:Cascade:Uplinks:N</c>).</summary>
public sealed class UplinkSetting
{
    public string? Name { get; set; }

    public string? Registrar { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public override string ToString() => $"UplinkSetting {{ Name = {Name}, Registrar = {Registrar}, Username = {Username}, Password = *** }}";
}
