using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using Command.Contracts.Sessions;
using MediaBridge.Sip;

namespace MediaBridge.Legs.Uplinks;

/// <summary>
/// The roster a deployment below sends up its cascade call (docs/cascade.md): an INFO in the dialog of the
/// cascade content type, <c>{"action":"roster","venues":[{"venueId":…,"name":…,"status":…,"sending":…}]}</c>,
/// with at most <see cref="RemoteVenue.MaxVenues"/> venues and <see cref="MaxBodyBytes"/> bytes, so it fits one datagram.
/// </summary>
public static class CascadeRoster
{
    public const string Action = "roster";

    /// <summary>The largest body written; venues past it are left off.</summary>
    public const int MaxBodyBytes = 32 * 1024;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Names are mostly Chinese; the body is UTF-8 JSON read by a program, not HTML, so they need no escaping.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Whether a message carries a cascade control of either kind (its Content-Type).</summary>
    public static bool IsCascade(SipMessage message) =>
        string.Equals(message.Headers[HeaderNames.ContentType]?.Split(';')[0].Trim(), CascadeControl.ContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The body for a roster: the first venues within the bounds, names cut to <see cref="RemoteVenue.MaxNameLength"/>.</summary>
    public static byte[] Write(IEnumerable<RemoteVenue> venues)
    {
        var kept = venues.Where(v => v.VenueId.Length is > 0 and <= RemoteVenue.MaxIdLength && v.Status.Length is > 0 and <= RemoteVenue.MaxStatusLength)
            .Take(RemoteVenue.MaxVenues)
            .Select(v => v.Name.Length <= RemoteVenue.MaxNameLength ? v : v with { Name = v.Name[..RemoteVenue.MaxNameLength] })
            .ToList();
        while (true)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new Body(Action, kept), Json);
            if (body.Length <= MaxBodyBytes)
            {
                return body;
            }

            kept.RemoveRange(kept.Count * 3 / 4, kept.Count - (kept.Count * 3 / 4));
        }
    }

    /// <summary>The roster a body carries, or null when it is none (malformed JSON, another action, a venue out of bounds).</summary>
    public static ImmutableArray<RemoteVenue>? Read(ReadOnlySpan<byte> body)
    {
        if (body.Length > SipParser.MaxMessageSize)
        {
            return null;
        }

        try
        {
            if (JsonSerializer.Deserialize<Wire>(body, Json) is not { Action: Action, Venues: { Count: <= RemoteVenue.MaxVenues } venues })
            {
                return null;
            }

            var roster = ImmutableArray.CreateBuilder<RemoteVenue>(venues.Count);
            foreach (var v in venues)
            {
                if (v is not { VenueId: { } id, Name: { } name, Status: { } status, Sending: { } sending })
                {
                    return null;
                }

                var venue = new RemoteVenue(id, name, status, sending);
                if (!venue.IsWithinBounds())
                {
                    return null;
                }

                roster.Add(venue);
            }

            return roster.MoveToImmutable();
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// How a venue's call answers an INFO: null when it is no cascade control (answered 200 and ignored, as
    /// before), 400 with no roster when its body is not a roster, else 200 with the roster it carries.
    /// </summary>
    public static (int Status, ImmutableArray<RemoteVenue> Venues)? Answer(SipMessage info)
    {
        if (!IsCascade(info))
        {
            return null;
        }

        return Read(info.Body.Span) is { } venues ? (200, venues) : (400, []);
    }

    private sealed record Body(string Action, IReadOnlyList<RemoteVenue> Venues);

    private sealed class Wire
    {
        public string? Action { get; set; }

        public List<WireVenue?>? Venues { get; set; }
    }

    private sealed class WireVenue
    {
        public string? VenueId { get; set; }

        public string? Name { get; set; }

        public string? Status { get; set; }

        public bool? Sending { get; set; }
    }
}
