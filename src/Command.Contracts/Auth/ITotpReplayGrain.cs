namespace Command.Contracts.Auth;

/// <summary>The last one-time-code time step a user signed in with, so a code is good once. Keyed by the lower-cased user name.</summary>
public interface ITotpReplayGrain : IGrainWithStringKey
{
    /// <summary>True when the step is later than every step used before, and records it; false for a replay.</summary>
    Task<bool> TryUseAsync(long step);
}
