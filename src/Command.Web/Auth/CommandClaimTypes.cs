namespace Command.Web.Auth;

/// <summary>Short claim names, the same in the cookie and in bearer tokens.</summary>
public static class CommandClaimTypes
{
    public const string Name = "name";

    public const string Role = "role";

    /// <summary>The division code of the region whose subtree the user has authority over.</summary>
    public const string Region = "command:region";

    /// <summary>The id of one sign-in (a token or a cookie), by which logout revokes it.</summary>
    public const string TokenId = "jti";

    /// <summary>When the sign-in was made, in Unix milliseconds: finer than <c>iat</c>, so a sign-in just after a password change is not taken for one before it.</summary>
    public const string IssuedAt = "command:issued";
}
