using Command.Contracts;
using Command.Contracts.Sessions;

namespace Command.Web.Apis.Requests;

/// <summary>Reads a source named by a venue field or a feed field, refusing both or neither.</summary>
internal static class Sources
{
    public static SourceRef ExactlyOne(string? venueId, string? feedId, string venueField, string feedField)
    {
        var hasVenue = !string.IsNullOrWhiteSpace(venueId);
        var hasFeed = !string.IsNullOrWhiteSpace(feedId);
        if (hasVenue == hasFeed)
        {
            throw CommandException.Invalid($"Give exactly one of {venueField} and {feedField}.");
        }

        return hasVenue ? SourceRef.Venue(venueId!.Trim()) : SourceRef.Feed(feedId!.Trim());
    }
}
