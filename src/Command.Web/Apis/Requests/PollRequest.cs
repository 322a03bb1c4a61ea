using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Sessions;

namespace Command.Web.Apis.Requests;

/// <summary>
/// Polling (轮询) through venues and feeds: <c>venueIds</c> then <c>feedIds</c>, or a mixed <c>sources</c> list in
/// rotation order; not both forms at once.
/// </summary>
public sealed record PollRequest(string[]? VenueIds, int? IntervalSeconds, string[]? FeedIds = null, SourceRequest[]? Sources = null)
{
    public ImmutableArray<SourceRef> Rotation()
    {
        if (Sources is not null)
        {
            if (VenueIds is not null || FeedIds is not null)
            {
                throw CommandException.Invalid("Give sources, or venueIds and feedIds, not both.");
            }

            return [.. Sources.Select(s => s?.ToSource() ?? throw CommandException.Invalid("sources must not hold null."))];
        }

        return
        [
            .. (VenueIds ?? []).Select(v => SourceRef.Venue(v?.Trim() ?? "")),
            .. (FeedIds ?? []).Select(f => SourceRef.Feed(f?.Trim() ?? "")),
        ];
    }
}
