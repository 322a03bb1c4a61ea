using Command.Contracts.Media;
using Command.Contracts.Sessions;

namespace Command.Grains.Sessions;

[GenerateSerializer]
public sealed class ParticipantState
{
    [Id(0)] public string VenueId { get; set; } = "";

    [Id(1)] public ParticipantStatus Status { get; set; }

    [Id(2)] public bool Muted { get; set; }

    [Id(3)] public string? ViewingVenueId { get; set; }

    [Id(4)] public bool CheckedIn { get; set; }

    [Id(5)] public string? Note { get; set; }

    [Id(6)] public string? ReplacedBy { get; set; }

    [Id(7)] public bool AutoReplaced { get; set; }

    [Id(8)] public DateTimeOffset? ReturnedAt { get; set; }

    /// <summary>The attached feed this venue receives; when set, <see cref="ViewingVenueId"/> is null.</summary>
    [Id(9)] public string? ViewingFeedId { get; set; }

    /// <summary>The uplink whose picture (the upper session's) this venue receives; when set, the other views are null.</summary>
    [Id(10)] public string? ViewingUplinkId { get; set; }

    /// <summary>For a deployment below joined as this venue: its venue asked to be sent up (级联点名).</summary>
    [Id(11)] public string? RemoteVenueId { get; set; }

    /// <summary>For a deployment below joined as this venue: its venues as last reported over its call; null while none is up.</summary>
    [Id(12)] public List<RemoteVenue>? RemoteVenues { get; set; }

    public bool IsActive => Status is ParticipantStatus.Invited or ParticipantStatus.Joined;

    public Participant ToSnapshot(LegStats? media = null) =>
        new(VenueId, Status, Muted, ViewingVenueId, CheckedIn, Note, media, ReplacedBy, AutoReplaced, ReturnedAt) 
        {
            ViewingFeedId = ViewingFeedId,
            ViewingUplinkId = ViewingUplinkId,
            RemoteVenueId = RemoteVenueId,
            RemoteVenues = Status == ParticipantStatus.Joined && RemoteVenues is { } venues ? [.. venues] : null,
        };
}
