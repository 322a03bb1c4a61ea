namespace MediaBridge.Sip.Registration;

/// <summary>
/// The periods of a registration client: the expiry it asks for (the registrar may grant less and is
/// refreshed at half of what it grants), how often an OPTIONS checks that the registrar is still there,
/// how long any request may go unanswered, and the cap of the back-off between failed attempts (1, 2, 4 … s).
/// </summary>
public sealed record RegistrationTimings(TimeSpan Expires, TimeSpan KeepAlive, TimeSpan AnswerTimeout, TimeSpan MaxBackoff)
{
    public static RegistrationTimings Default { get; } = new(TimeSpan.FromHours(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(30));

    /// <summary>The wait after the given number of failures in a row (1 s after the first, doubling to the cap).</summary>
    public TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Clamp(failures - 1, 0, 30))));
}
