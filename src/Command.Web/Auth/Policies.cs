using Microsoft.AspNetCore.Authorization;

namespace Command.Web.Auth;

/// <summary>Which roles may call which group of endpoints. Region scope is checked on top, per request.</summary>
public static class Policies
{
    public const string Floor = "floor";
    public const string SessionCreate = "session-create";
    public const string SessionRun = "session-run";
    public const string SessionFeeds = "session-feeds";
    public const string CheckIn = "check-in";
    public const string Incidents = "incidents";
    public const string FeedsWrite = "feeds-write";
    public const string Schedules = "schedules";
    public const string Audit = "audit";
    public const string VenueMedia = "venue-media";
    public const string Users = "users";
    public const string Publish = "publish";

    public static AuthorizationBuilder AddCommandPolicies(this AuthorizationBuilder builder) => builder
        .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
        .AddPolicy(Floor, p => p.RequireRole(CommandRoles.Admin, CommandRoles.ChairOperator))
        .AddPolicy(SessionCreate, p => p.RequireRole(CommandRoles.Admin, CommandRoles.ChairOperator, CommandRoles.EmergencyOfficer, CommandRoles.MeetingOperator))
        .AddPolicy(SessionRun, p => p.RequireRole(CommandRoles.Admin, CommandRoles.ChairOperator, CommandRoles.EmergencyOfficer, CommandRoles.MeetingOperator))
        .AddPolicy(SessionFeeds, p => p.RequireRole(CommandRoles.Admin, CommandRoles.ChairOperator, CommandRoles.EmergencyOfficer))
        .AddPolicy(CheckIn, p => p.RequireRole(CommandRoles.Admin, CommandRoles.ChairOperator, CommandRoles.MeetingOperator))
        .AddPolicy(Incidents, p => p.RequireRole(CommandRoles.Admin, CommandRoles.EmergencyOfficer))
        .AddPolicy(FeedsWrite, p => p.RequireRole(CommandRoles.Admin, CommandRoles.EmergencyOfficer))
        .AddPolicy(Schedules, p => p.RequireRole(CommandRoles.Admin, CommandRoles.MeetingOperator))
        .AddPolicy(Audit, p => p.RequireRole(CommandRoles.Admin))
        .AddPolicy(Users, p => p.RequireRole(CommandRoles.Admin))
        .AddPolicy(Publish, p => p.RequireRole(CommandRoles.Admin, CommandRoles.MeetingOperator))
        .AddPolicy(VenueMedia, p => p.RequireRole(CommandRoles.Admin, CommandRoles.ChairOperator, CommandRoles.EmergencyOfficer, CommandRoles.MeetingOperator));
}
