namespace Command.Web.Auth;

/// <summary>Too many failed sign-ins for this name; answered with 429 and Retry-After.</summary>
public sealed class SignInLockedException(DateTimeOffset until)
    : Exception($"Too many failed sign-ins; try again after {until:u}.")
{
    public DateTimeOffset Until { get; } = until;
}
