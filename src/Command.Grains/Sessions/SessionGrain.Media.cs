using System.Collections.Immutable;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using Command.Contracts.Realtime;
using Command.Contracts.Sessions;
using Command.Contracts.Timeline;
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
    private long mediaSeq;

    public async Task<ConferencePlan?> GetConferencePlanAsync()
    {
        if (!S.Created || S.StartedAt is null)
        {
            return null;
        }

        await LoadPlanFeedsAsync();
        return MediaRoutes.Plan(Id, S, planFeeds);
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
            await GrainFactory.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey).PushAsync(MediaRoutes.Plan(Id, S, planFeeds));
        }
        catch (Exception e)
        {
            // The registry asks for the plan again when a bridge (re)registers, so nothing is lost for good.
            LogPlanFailed(e, Id);
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
