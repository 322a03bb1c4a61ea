using System.ComponentModel.DataAnnotations;

namespace Command.Silo.Hosting;

/// <summary>The <c>Command</c> configuration section.</summary>
public sealed class CommandOptions
{
    public const string Section = "Command";

    /// <summary>A Redis connection string; when set, clustering, storage and reminders use it and silos form one cluster.</summary>
    public string? Redis { get; set; }

    /// <summary>Where the embedded store keeps its log and checkpoints (ignored with Redis).</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The embedded store's loopback port; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int StorePort { get; set; }

    /// <summary>The topology loaded at start; defaults to the Foshan sample shipped beside the program.</summary>
    public string? TopologyFile { get; set; }

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one on (Redis mode).</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    [Required]
    public string ClusterId { get; set; } = "command";

    [Required]
    public string ServiceId { get; set; } = "command";

    /// <summary>How often the embedded store checkpoints, so its append-only log stays short; fractions are allowed (0.1 is 6 s).</summary>
    [Range(0.05, 1440)]
    public double CheckpointMinutes { get; set; } = 10;
}
