using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaBridge.Legs.Uplinks;

/// <summary>
/// The control the session above sends down an established cascade call (docs/cascade.md): a SIP INFO in
/// the dialog with a small JSON body, <c>{"action":"rollcall","venueId":"…"}</c>, which asks the deployment
/// below to send up that venue, or its own broadcast again when <c>venueId</c> is null.
/// </summary>
public sealed record CascadeControl(
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("venueId")] string? VenueId)
{
    public const string ContentType = "application/vnd.command.cascade+json";

    public const string RollCall = "rollcall";

    public static byte[] Write(string? venueId) => JsonSerializer.SerializeToUtf8Bytes(new CascadeControl(RollCall, venueId));

    /// <summary>The roll call a body asks for, or null when it is not one (malformed JSON, another action, a bad venue id).</summary>
    public static CascadeControl? Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var control = JsonSerializer.Deserialize<CascadeControl>(body);
            return control is { Action: RollCall } && (control.VenueId is null || control.VenueId.Length is > 0 and <= 200) ? control : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
