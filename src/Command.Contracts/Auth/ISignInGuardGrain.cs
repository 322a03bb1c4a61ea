namespace Command.Contracts.Auth;

/// <summary>
/// Failed sign-ins for one user name, shared by every web host so that a lock-out holds cluster-wide.
/// Keyed by the lower-cased user name, whether or not such a user exists.
/// </summary>
public interface ISignInGuardGrain : IGrainWithStringKey
{
    /// <summary>When the lock-out ends, or null when sign-in is allowed.</summary>
    Task<DateTimeOffset?> GetLockedUntilAsync();

    /// <summary>Counts a failure; returns the lock-out end when this failure crossed the threshold.</summary>
    Task<DateTimeOffset?> RecordFailureAsync(int threshold, TimeSpan window, TimeSpan lockout);

    Task ResetAsync();
}
