namespace Command.Grains.Cascade;

/// <summary>One configured uplink (<c>Command:Cascade:Uplinks:N</c>).</summary>
public sealed class UplinkSetting
{
    public string? Name { get; set; }

    public string? Registrar { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The venues a relay session of this uplink gathers, the first chairing it.</summary>
    public List<string> VenueIds { get; set; } = [];

    public override string ToString() => $"UplinkSetting {{ Name = {Name}, Registrar = {Registrar}, Username = {Username}, Password = *** }}";
}
