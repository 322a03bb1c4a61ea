using System.ComponentModel.DataAnnotations;

namespace MediaBridge.Control;

/// <summary>The <c>Command:Bridge</c> configuration section.</summary>
public sealed class BridgeOptions
{
    public const string Section = "Command:Bridge";

    /// <summary>Run the bridge in this process (the all-in-one node does by default).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The address SIP listens on; 0.0.0.0 lets venue terminals on the network reach it.</summary>
    [Required]
    public string SipAddress { get; set; } = "0.0.0.0";

    /// <summary>UDP port for SIP; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int SipPort { get; set; } = 5060;

    /// <summary>
    /// Within how long a terminal that went away turns its venue offline: it is sent an OPTIONS every half
    /// period, and one left unanswered for half a period (retransmissions included) drops its binding.
    /// </summary>
    [Range(2, 3600)]
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>The address RTP and RTCP ports are bound on; empty means the SIP address.</summary>
    public string? MediaAddress { get; set; }

    /// <summary>The address written into SDP, Via and Contact when the bridge sits behind NAT; empty means the address terminals reach it by.</summary>
    public string? PublicAddress { get; set; }

    /// <summary>Comma-separated addresses announced to browsers as ICE candidates before the local ones, for a bridge behind NAT.</summary>
    public string? IceAddresses { get; set; }

    /// <summary>First port of the RTP/RTCP range; each leg takes two pairs (audio and video).</summary>
    [Range(1024, 65534)]
    public int RtpPortMin { get; set; } = 20000;

    [Range(1025, 65535)]
    public int RtpPortMax { get; set; } = 29999;

    /// <summary>How many of a session's loudest venues get an N-1 mix of their own; every other venue hears one shared mix of them.</summary>
    [Range(1, 64)]
    public int Speakers { get; set; } = 3;

    /// <summary>How many legs this bridge takes on; the registry places sessions by the share used.</summary>
    [Range(1, 100_000)]
    public int Capacity { get; set; } = 200;

    /// <summary>The bridge's name in the cluster; empty means host name and SIP port.</summary>
    public string? BridgeId { get; set; }

    /// <summary>How often the bridge announces itself to the cluster's bridge registry.</summary>
    [Range(100, 60_000)]
    public int HeartbeatMilliseconds { get; set; } = 1000;

    /// <summary>
    /// How long the registry lets this bridge stay silent before it moves the bridge's sessions to
    /// another; at least two heartbeats are allowed whatever is set here.
    /// </summary>
    [Range(200, 600_000)]
    public int ExpiryMilliseconds { get; set; } = 3500;

    /// <summary>How long a camera no session uses any more is still ingested, so a quick re-attach finds it flowing.</summary>
    [Range(0, 3600)]
    public double FeedLetGoSeconds { get; set; } = 10;

    /// <summary>How often each ingested camera is reported to its feed; its report holds for three periods.</summary>
    [Range(0.5, 300)]
    public double FeedReportSeconds { get; set; } = 5;

    /// <summary>A camera silent this long is dropped and pulled again (with back-off), or shown as connecting when pushed.</summary>
    [Range(0.5, 300)]
    public double FeedSilenceSeconds { get; set; } = 5;

    /// <summary>Messages one source address may send per 2 s before it is ignored for a minute.</summary>
    [Range(1, 100_000)]
    public int FloodLimit { get; set; } = 60;
}
