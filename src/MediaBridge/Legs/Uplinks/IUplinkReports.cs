using Command.Contracts.Cascade;

namespace MediaBridge.Legs.Uplinks;

/// <summary>Where the uplinks report their status (the control layer passes it on to the cluster, naming this bridge).</summary>
public interface IUplinkReports
{
    void Report(string uplinkId, UplinkStatus status, string? reason, string? sessionId);
}
