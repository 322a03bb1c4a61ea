using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Command.Web.Auth;

/// <summary>Issues bearer tokens for tools and scripts, and stamps every sign-in with an id logout can revoke.</summary>
public sealed class TokenService(SigningKeyProvider keys, IOptions<AuthOptions> options, TimeProvider time)
{
    public const string Issuer = "command";
    public const string Audience = "command-api";

    /// <summary>A copy of the identity with a fresh sign-in id and issue time.</summary>
    public ClaimsIdentity Stamp(ClaimsIdentity identity, string authenticationType)
    {
        var claims = identity.Claims.Where(c => c.Type is not (CommandClaimTypes.TokenId or CommandClaimTypes.IssuedAt
            or JwtRegisteredClaimNames.Iat or JwtRegisteredClaimNames.Exp or JwtRegisteredClaimNames.Nbf
            or JwtRegisteredClaimNames.Iss or JwtRegisteredClaimNames.Aud));
        return new ClaimsIdentity(
            [
                .. claims.Select(c => new Claim(c.Type, c.Value)),
                new Claim(CommandClaimTypes.TokenId, Guid.NewGuid().ToString("N")),
                new Claim(CommandClaimTypes.IssuedAt, time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
            ],
            authenticationType,
            CommandClaimTypes.Name,
            CommandClaimTypes.Role);
    }

    public (string Token, DateTimeOffset ExpiresAt) Issue(ClaimsIdentity identity)
    {
        var stamped = Stamp(identity, identity.AuthenticationType ?? "Bearer");
        var expires = time.GetUtcNow().AddMinutes(options.Value.TokenLifetimeMinutes);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = stamped,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    /// <summary>The sign-in id and issue time of a principal, or null for one made before sign-ins carried them.</summary>
    public static (string Id, DateTimeOffset IssuedAt)? SignInOf(ClaimsPrincipal user) =>
        user.FindFirstValue(CommandClaimTypes.TokenId) is { Length: > 0 } id
        && long.TryParse(user.FindFirstValue(CommandClaimTypes.IssuedAt), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? (id, DateTimeOffset.FromUnixTimeMilliseconds(ms))
            : null;
}
