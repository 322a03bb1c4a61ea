namespace Command.Grains.Cascade;

/// <summary>One stored uplink: its definition, its password as Data Protection ciphertext, and the bridge that holds it.</summary>
[GenerateSerializer]
public sealed class UplinkRecord
{
    [Id(0)] public string Id { get; set; } = "";

    [Id(1)] public string Name { get; set; } = "";

    [Id(2)] public string Registrar { get; set; } = "";

    [Id(3)] public string Username { get; set; } = "";

    /// <summary>Never the clear text.</summary>
    [Id(4)] public string ProtectedPassword { get; set; } = "";

    /// <summary>Defined by <c>Command:Cascade:Uplinks</c>, so removed only there.</summary>
    [Id(5)] public bool Configured { get; set; }

    /// <summary>The bridge registering it, or null until one claims it.</summary>
    [Id(6)] public string? BridgeId { get; set; }

    /// <summary>The venues a new relay session of this uplink gathers, the first chairing it.</summary>
    [Id(7)] public List<string> VenueIds { get; set; } = [];

    /// <summary>The relay session the deployment above was last relayed into; its calls rejoin it while it is live.</summary>
    [Id(8)] public string? SessionId { get; set; }
}
