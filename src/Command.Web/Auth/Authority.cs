using System.Security.Claims;
using Command.Contracts;
using Command.Contracts.Incidents;
using Command.Contracts.Sessions;
using Command.Web.Regions;

namespace Command.Web.Auth;

/// <summary>
/// Region-scoped authority (分级授权): a user acts on what lies in the subtree of their region.
/// A city chair may convene its districts; a district operator may not touch a city session
/// or another district's venues.
/// </summary>
public sealed class Authority(RegionCache regions)
{
    public static string RegionOf(ClaimsPrincipal user) => user.FindFirstValue(CommandClaimTypes.Region) ?? "";

    public static string NameOf(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous";

    /// <summary>Unknown regions are left to the grains, which answer 404 or 400 rather than 403.</summary>
    public async Task<bool> IsKnownRegionAsync(string regionCode) => (await regions.GetAsync()).Contains(regionCode);

    public async Task<string> RootAsync() => (await regions.GetAsync()).Root;

    public async Task<bool> CoversRegionAsync(ClaimsPrincipal user, string regionCode) =>
        (await regions.GetAsync()).IsWithin(regionCode, RegionOf(user));

    public async Task EnsureRegionAsync(ClaimsPrincipal user, string regionCode)
    {
        if (!await CoversRegionAsync(user, regionCode))
        {
            throw CommandException.Forbidden($"Region {regionCode} is outside your authority ({RegionOf(user)}).");
        }
    }

    public async Task EnsureVenueAsync(ClaimsPrincipal user, string venueId)
    {
        var region = await regions.RegionOfVenueAsync(venueId);
        if (region is null)
        {
            return;
        }

        if (!await CoversRegionAsync(user, region))
        {
            throw CommandException.Forbidden($"Venue {venueId} ({region}) is outside your authority ({RegionOf(user)}).");
        }
    }

    /// <summary>Controlling a session needs authority over its chair venue.</summary>
    public Task EnsureControlsAsync(ClaimsPrincipal user, SessionSnapshot session) => EnsureVenueAsync(user, session.ChairVenueId);

    /// <summary>A session is visible to whoever has authority over its chair or any of its venues.</summary>
    public async Task<bool> CanSeeAsync(ClaimsPrincipal user, SessionSnapshot session)
    {
        var index = await regions.GetAsync();
        return index.ScopeOf(session).Any(r => index.IsWithin(r, RegionOf(user)));
    }

    /// <summary>The same rule for a line of the session list, without loading the session.</summary>
    public async Task<bool> CanSeeAsync(ClaimsPrincipal user, SessionSummary summary)
    {
        var index = await regions.GetAsync();
        return index.ScopeOfVenues(summary.VenueIds).Any(r => index.IsWithin(r, RegionOf(user)));
    }

    public async Task EnsureCanSeeAsync(ClaimsPrincipal user, SessionSnapshot session)
    {
        if (!await CanSeeAsync(user, session))
        {
            throw CommandException.Forbidden($"Session {session.Id} has no venue within your authority ({RegionOf(user)}).");
        }
    }

    public Task<bool> CanSeeAsync(ClaimsPrincipal user, IncidentSnapshot incident) => CoversRegionAsync(user, incident.RegionCode);

    public Task EnsureControlsAsync(ClaimsPrincipal user, IncidentSnapshot incident) => EnsureRegionAsync(user, incident.RegionCode);

    /// <summary>Which kinds of session a role may open and run.</summary>
    public static void EnsureKind(ClaimsPrincipal user, SessionKind kind)
    {
        var allowed = kind == SessionKind.Emergency
            ? user.IsInRole(CommandRoles.Admin) || user.IsInRole(CommandRoles.ChairOperator) || user.IsInRole(CommandRoles.EmergencyOfficer)
            : user.IsInRole(CommandRoles.Admin) || user.IsInRole(CommandRoles.ChairOperator) || user.IsInRole(CommandRoles.MeetingOperator);
        if (!allowed)
        {
            throw CommandException.Forbidden($"Your role may not run {kind.ToString().ToLowerInvariant()} sessions.");
        }
    }
}
