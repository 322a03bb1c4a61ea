using System.ComponentModel.DataAnnotations;

namespace Command.Web.Auth;

/// <summary>The <c>Command:Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Command:Auth";

    public List<UserOptions> Users { get; set; } = [];

    /// <summary>Base64 of at least 32 bytes; when unset, a key is made once and kept in the store.</summary>
    public string? SigningKey { get; set; }

    [Range(1, 10080)]
    public int TokenLifetimeMinutes { get; set; } = 60;

    /// <summary>
    /// How long a web host trusts what it last read of a user's revoked sign-ins; a revocation made on
    /// another host takes effect here within this time (one made here, at once).
    /// </summary>
    [Range(0, 300)]
    public int RevocationCacheSeconds { get; set; } = 5;

    /// <summary>Level 3 (等保 2.0) asks two factors of administrators: an admin without a one-time-code secret cannot sign in.</summary>
    public bool RequireTotpForAdmins { get; set; }

    [Range(1, 100)]
    public int LockoutThreshold { get; set; } = 5;

    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Sign-in attempts one client address may make per minute, whatever names it tries.</summary>
    [Range(1, 100_000)]
    public int SignInPerMinute { get; set; } = 20;
}
