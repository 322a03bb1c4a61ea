namespace Command.Web.Auth;

/// <summary>A user as the users API shows it: never the password hash or the one-time-code secret.</summary>
public sealed record UserView(string Name, string Role, string Region, bool Disabled, bool SecondFactor, string Source)
{
    public const string FromConfiguration = "configuration";
    public const string FromStore = "store";

    public static UserView Of(CommandUser user) =>
        new(user.Name, user.Role, user.Region, user.Disabled, user.TotpSecret is not null, user.Configured ? FromConfiguration : FromStore);
}
