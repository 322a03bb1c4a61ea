using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using Command.Contracts.Realtime;
using Command.Contracts.Sessions;
using Command.Contracts.Timeline;
using Command.Contracts.Venues;
using Command.Grains.Realtime;
using Microsoft.Extensions.Logging;

namespace Command.Grains.Sessions;

/// <summary>
/// The session's side of the media bridge: each committed change becomes a conference plan for the
/// bridge, and the bridge's leg events and statistics come back here. Statistics live in memory
/// only; they describe the present and are re-reported every few seconds.
/// </summary>
public sealed partial class SessionGrain
{
    private readonly Dictionary<string, LegStats> media = new(StringComparer.Ordinal);

    // The attached feeds as the bridge ingests them, credentials decrypted; kept in memory only, never stored here.
    private readonly Dictionary<string, PlanFeed> planFeeds = new(StringComparer.Ordinal);

    // The venues' names a relay session's roster carries up its uplink, read from the venue directory once per activation.
    private readonly Dictionary<string, string> venueNames = new(StringComparer.Ordinal);
    private long mediaSeq;

    public async Task<ConferencePlan?> GetConferencePlanAsync()
    {
        if (!S.Created || S.StartedAt is null)
        {
            return null;
        }

        await LoadPlanFeedsAsync();
        await LoadVenueNamesAsync();
        return MediaRoutes.Plan(Id, S, planFeeds, venueNames);
    }

    public async Task ReportLegAsync(LegReport report)
    {
        if (S.Created && S.Phase == SessionPhase.Live && report.VenueId == S.UplinkId)
        {
            await NoteUplinkAsync(report);
            return;
        }

        if (await NoteReturnAsync(report) || !IsLiveParticipant(report.VenueId))
        {
            return;
        }

        await TrackLegAsync(report.VenueId, report.State, report.At);
        if (report.State != LegState.Connected && Floor.Find(S, report.VenueId) is { RemoteVenues: not null } below)
        {
            // The roster came over the call; without the call it is no longer known.
            below.RemoteVenues = null;
            await CommitAsync();
        }

        var previous = media.GetValueOrDefault(report.VenueId);
        if (previous?.State == report.State)
        {
            return;
        }

        media[report.VenueId] = previous is null
            ? new LegStats(report.VenueId, report.State, null, null, 0, 0, 0, 0, 0, 0, null, null, report.At)
            : previous with { State = report.State, UpdatedAt = report.At };
        if (report.State is LegState.Connected or LegState.Failed or LegState.Dropped)
        {
            var detail = report.Reason is null ? report.VenueId : $"{report.VenueId}: {report.Reason}";
            await timelines.AppendAsync(TimelineSource, [new TimelineEntry(report.At, "bridge", $"leg-{report.State.ToString().ToLowerInvariant()}", detail, TimelineSource)]);
        }

        PublishMedia();
    }

    public async Task ReportRemoteRosterAsync(string venueId, ImmutableArray<RemoteVenue> venues)
    {
        if (venues.IsDefault || venues.Length > RemoteVenue.MaxVenues || venues.Any(v => v is null || !v.IsWithinBounds()))
        {
            throw CommandException.Invalid($"A roster holds at most {RemoteVenue.MaxVenues} venues, each with an id, a name and a status within bounds.");
        }

        if (!IsLiveParticipant(venueId) || Floor.Find(S, venueId) is not { } below
            || (below.RemoteVenues is { } known && known.SequenceEqual(venues)))
        {
            return;
        }

        below.RemoteVenues = [.. venues];
        await CommitAsync();
    }

    public async Task ReportMediaAsync(ImmutableArray<LegStats> legs)
    {
        foreach (var leg in legs.Where(l => IsLiveParticipant(l.VenueId)))
        {
            media[leg.VenueId] = leg;
            await TrackLegAsync(leg.VenueId, leg.State, leg.UpdatedAt);
        }

        PublishMedia();
    }

    public async Task MovedToBridgeAsync(string? fromBridge, string? toBridge, string reason)
    {
        if (!S.Created || S.Phase != SessionPhase.Live)
        {
            return;
        }

        var detail = $"{fromBridge ?? "(none)"} → {toBridge ?? "(none yet)"}: {reason}";
        LogMovedToBridge(Id, fromBridge ?? "(none)", toBridge ?? "(none yet)", reason);
        await timelines.AppendAsync(TimelineSource, [new TimelineEntry(Now, "bridge-registry", "media-moved", detail, TimelineSource)]);
        var venues = S.Participants.Select(p => p.VenueId).ToImmutableArray();
        Changes.Publish(GrainFactory, CommandEvent.For(new BridgeMove(Id, fromBridge, toBridge, reason, Now.ToUnixTimeMilliseconds(), venues)));
    }

    /// <summary>
    /// The upper session's call on the uplink came up or went: its picture is routed only while it is
    /// connected (venues that view it see the chair's default meanwhile), and the floor is left as it is.
    /// </summary>
    private async Task NoteUplinkAsync(LegReport report)
    {
        var connected = report.State == LegState.Connected;
        if (connected == S.UplinkConnected || report.State == LegState.Calling)
        {
            return;
        }

        S.UplinkConnected = connected;
        var detail = report.Reason is null ? report.VenueId : $"{report.VenueId}: {report.Reason}";
        Record("bridge", connected ? "uplink-connected" : "uplink-lost", detail);
        await CommitAsync();
    }

    private bool IsLiveParticipant(string venueId) =>
        S.Created && S.Phase == SessionPhase.Live && Floor.Find(S, venueId)?.Status == ParticipantStatus.Joined;

    private LegStats? MediaOf(string venueId) =>
        S.Phase == SessionPhase.Live ? media.GetValueOrDefault(venueId) : null;

    private void PublishMedia()
    {
        var legs = Floor.Joined(S).Select(p => media.GetValueOrDefault(p.VenueId)).OfType<LegStats>().ToImmutableArray();
        Changes.Publish(GrainFactory, CommandEvent.For(new SessionMedia(Id, legs, ++mediaSeq)));
    }

    /// <summary>Hands the bridge the plan for the state just committed; a live session that ended sends one last, empty plan.</summary>
    private async Task PushPlanAsync()
    {
        if (S.StartedAt is null)
        {
            return;
        }

        if (S.Phase != SessionPhase.Live)
        {
            media.Clear();
        }

        try
        {
            await LoadPlanFeedsAsync();
            await LoadVenueNamesAsync();
            await GrainFactory.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey).PushAsync(MediaRoutes.Plan(Id, S, planFeeds, venueNames));
        }
        catch (Exception e)
        {
            // The registry asks for the plan again when a bridge (re)registers, so nothing is lost for good.
            LogPlanFailed(e, Id);
        }
    }

    /// <summary>Fetches the names of the venues a relay session's roster lacks; only a live session bound to an uplink reports one.</summary>
    private async Task LoadVenueNamesAsync()
    {
        if (S.Phase != SessionPhase.Live || S.UplinkId is null)
        {
            return;
        }

        foreach (var venueId in S.Participants.Select(p => p.VenueId).Where(v => !venueNames.ContainsKey(v)).Take(RemoteVenue.MaxVenues).ToList())
        {
            if (await GrainFactory.GetGrain<IVenueGrain>(venueId).GetAsync() is { } venue)
            {
                venueNames[venueId] = venue.Name;
            }
        }
    }

    /// <summary>Fetches the attached feeds the session does not hold yet; only a live session's plan carries them.</summary>
    private async Task LoadPlanFeedsAsync()
    {
        if (S.Phase != SessionPhase.Live)
        {
            return;
        }

        foreach (var feedId in S.FeedIds.Where(f => !planFeeds.ContainsKey(f)).ToList())
        {
            if (await GrainFactory.GetGrain<IFeedGrain>(feedId).GetPlanFeedAsync() is { } feed)
            {
                planFeeds[feedId] = feed;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}'s media moved from bridge {FromBridge} to {ToBridge}: {Reason}")]
    private partial void LogMovedToBridge(string sessionId, string fromBridge, string toBridge, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand session {SessionId}'s plan to the bridge registry")]
    private partial void LogPlanFailed(Exception e, string sessionId);
}
