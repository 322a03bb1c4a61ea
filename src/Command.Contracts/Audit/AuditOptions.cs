using System.ComponentModel.DataAnnotations;

namespace Command.Contracts.Audit;

/// <summary>The audit trail's settings, under <c>Command:Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string Section = "Command:Audit";

    /// <summary>Entries are kept at least this long; the protection scheme asks for six months.</summary>
    [Range(180, 36500)]
    public int RetentionDays { get; set; } = 180;

    /// <summary>How often the signed head is copied to the checkpoint list an auditor exports.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CheckpointPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The ECDSA P-256 private key that signs the head, checkpoints and exports (PKCS#8, base64). Unset: one is made
    /// once and kept in the store apart from the entries; set it to keep the key off the store altogether.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Recorded request parameters are cut to this many characters.</summary>
    [Range(128, 65536)]
    public int MaxParametersLength { get; set; } = 2048;
}
