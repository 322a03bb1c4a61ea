using System.Collections.Immutable;

namespace Command.Contracts.Auth;

/// <summary>What a web host needs to refuse a user's revoked tokens: unexpired revoked token ids and the "valid after" time.</summary>
[GenerateSerializer, Immutable, Alias("command.token-revocations")]
public sealed record TokenRevocations(
    [property: Id(0)] DateTimeOffset? ValidAfter,
    [property: Id(1)] ImmutableHashSet<string> TokenIds)
{
    public static readonly TokenRevocations None = new(null, []);

    public bool Refuses(string tokenId, DateTimeOffset issuedAt) =>
        TokenIds.Contains(tokenId) || (ValidAfter is { } after && issuedAt < after);
}
