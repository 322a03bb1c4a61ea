namespace Command.Contracts.Cascade;

/// <summary>Where an uplink stands (BRIEF §4): not registered above, registered as a venue there, or carrying the upper session's call.</summary>
[GenerateSerializer, Alias("command.uplink-status")]
public enum UplinkStatus
{
    Offline,
    Registered,
    InCall,
}
