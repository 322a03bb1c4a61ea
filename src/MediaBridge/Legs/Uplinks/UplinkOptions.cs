using System.ComponentModel.DataAnnotations;
using MediaBridge.Sip.Registration;

namespace MediaBridge.Legs.Uplinks;

/// <summary>
/// How the bridge holds its uplinks, from the <c>Command:Cascade</c> section (the uplinks themselves,
/// <c>Command:Cascade:Uplinks</c>, go to the cluster, which hands each to one bridge).
/// </summary>
public sealed class UplinkOptions
{
    public const string Section = "Command:Cascade";

    /// <summary>The registration expiry asked of the registrar above; it may grant less, and each grant is refreshed at half its length.</summary>
    [Range(60, 86400)]
    public int RegisterExpiresSeconds { get; set; } = 3600;

    /// <summary>How often an OPTIONS checks that the registrar above still answers; one unanswered turns the uplink offline and re-registers it.</summary>
    [Range(1, 3600)]
    public double KeepAliveSeconds { get; set; } = 30;

    /// <summary>How long a REGISTER or OPTIONS may go unanswered (retransmissions included).</summary>
    [Range(0.5, 32)]
    public double AnswerTimeoutSeconds { get; set; } = 8;

    /// <summary>The cap of the back-off between failed attempts (1, 2, 4 … s).</summary>
    [Range(1, 3600)]
    public double MaxBackoffSeconds { get; set; } = 30;

    /// <summary>How often the bridge claims its uplinks from the cluster and repeats their status; its claim and reports hold for three of these.</summary>
    [Range(0.2, 60)]
    public double ClaimSeconds { get; set; } = 2;

    /// <summary>The least time between two rosters sent up a cascade call; changes within it go up together.</summary>
    [Range(0.05, 60)]
    public double RosterSeconds { get; set; } = 0.5;

    public RegistrationTimings Timings => new(
        TimeSpan.FromSeconds(RegisterExpiresSeconds), TimeSpan.FromSeconds(KeepAliveSeconds),
        TimeSpan.FromSeconds(AnswerTimeoutSeconds), TimeSpan.FromSeconds(MaxBackoffSeconds));

    public TimeSpan Claim => TimeSpan.FromSeconds(ClaimSeconds);

    public TimeSpan Lease => Claim * 3;
}
