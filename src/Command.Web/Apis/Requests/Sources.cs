using Command.Contracts;
using Command.Contracts.Sessions;

namespace Command.Web.Apis.Requests;

/// <summary>Reads a source named by a venue field, a feed field or an uplink field, refusing more than one or none.</summary>
internal static class Sources
{
    public static SourceRef ExactlyOne(string? venueId, string? feedId, string venueField, string feedField) =>
        ExactlyOne(venueId, feedId, null, venueField, feedField, null);

    public static SourceRef ExactlyOne(string? venueId, string? feedId, string? uplinkId, string venueField, string feedField, string? uplinkField)
    {
        var given = new (string? Id, SourceKind Kind)[] { (venueId, SourceKind.Venue), (feedId, SourceKind.Feed), (uplinkId, SourceKind.Uplink) }
            .Where(s => !string.IsNullOrWhiteSpace(s.Id)).ToList();
        if (given.Count != 1)
        {
            var fields = uplinkField is null ? $"{venueField} and {feedField}" : $"{venueField}, {feedField} and {uplinkField}";
            throw CommandException.Invalid($"Give exactly one of {fields}.");
        }

        return new SourceRef(given[0].Kind, given[0].Id!.Trim());
    }
}
