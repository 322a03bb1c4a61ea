namespace Command.Contracts.Auth;

/// <summary>A managed user; the password hash is ASP.NET Core Identity's format, made by the web host.</summary>
[GenerateSerializer, Immutable, Alias("command.user")]
public sealed record UserRecord(
    [property: Id(0)] string Name,
    [property: Id(1)] string PasswordHash,
    [property: Id(2)] string Role,
    [property: Id(3)] string Region,
    [property: Id(4)] bool Disabled,
    [property: Id(5)] string? TotpSecret,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt);
