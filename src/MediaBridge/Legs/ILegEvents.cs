using Command.Contracts.Media;
using MediaBridge.Conference;

namespace MediaBridge.Legs;

/// <summary>Where the call layer reports what happens to legs, for the sessions to know.</summary>
public interface ILegEvents
{
    void Changed(string sessionId, string venueId, LegState state, string? reason);

    void Measured(string sessionId, IReadOnlyList<LegMeasure> legs, IReadOnlyDictionary<string, LegState> states);

    /// <summary>A leg's terminal stopped sending media: it is treated as gone until it registers again.</summary>
    void TerminalLost(string venueId);
}
