namespace Command.Web.Auth;

/// <summary>Short claim names, the same in the cookie and in bearer tokens.</summary>
public static class CommandClaimTypes
{
    public const string Name = "name";

    public const string Role = "role";

    /// <summary>The division code of the region whose subtree the user has authority over.</summary>
    public const string Region = "command:region";
}
