using System.Globalization;
using Command.Contracts;
using Command.Contracts.Cascade;

namespace Command.Grains.Cascade;

/// <summary>
/// What makes an uplink acceptable: a name, a registrar (<c>sip:host[:port]</c> or <c>host[:port]</c>, reached
/// over UDP; with <c>;transport=tcp</c>, over TCP; written back as <c>sip:host[:port]</c> with <c>;transport=tcp</c>
/// kept and <c>;transport=udp</c> dropped), a SIP user and a password, and optionally the venues its relay sessions gather.
/// </summary>
public static class UplinkRules
{
    private const int MaxText = 200;
    private const int MaxVenues = 200;

    /// <summary>The request with its registrar in canonical form; throws <see cref="CommandException"/> when it is not acceptable.</summary>
    public static UplinkRequest Validate(UplinkRequest? request)
    {
        if (request is null)
        {
            throw CommandException.Invalid("an uplink needs name, registrar, username and password.");
        }

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > MaxText)
        {
            throw CommandException.Invalid($"name is required (at most {MaxText} characters).");
        }

        if (string.IsNullOrEmpty(request.Username) || request.Username.Length > 64 || !request.Username.All(IsUserChar))
        {
            throw CommandException.Invalid("username is the venue's SIP user above: 1 to 64 letters, digits or . _ ~ + -");
        }

        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > MaxText || request.Password.Any(char.IsControl))
        {
            throw CommandException.Invalid($"password is required (at most {MaxText} characters, no control characters).");
        }

        var venues = request.VenueIds.IsDefault ? [] : request.VenueIds;
        if (venues.Length > MaxVenues || venues.Any(v => string.IsNullOrWhiteSpace(v) || v.Trim().Length > MaxText))
        {
            throw CommandException.Invalid($"venueIds are the venues a relay session of this uplink gathers, the first chairing it: at most {MaxVenues} venue ids.");
        }

        return request with
        {
            Name = request.Name.Trim(),
            Registrar = Registrar(request.Registrar),
            VenueIds = [.. venues.Select(v => v.Trim()).Distinct(StringComparer.Ordinal)],
        };
    }

    private static string Registrar(string? text)
    {
        const string Expected = "registrar must be the SIP address of the deployment above: sip:host[:port] over UDP, or sip:host[:port];transport=tcp over TCP, for example sip:10.1.0.5:5060.";
        var value = (text ?? "").Trim();
        if (value.StartsWith("sip:", StringComparison.OrdinalIgnoreCase))
        {
            value = value[4..];
        }

        var tcp = false;
        if (value.IndexOf(';', StringComparison.Ordinal) is var semicolon and >= 0)
        {
            tcp = value[(semicolon + 1)..].ToLowerInvariant() switch
            {
                "transport=tcp" => true,
                "transport=udp" => false,
                _ => throw CommandException.Invalid(Expected),
            };
            value = value[..semicolon];
        }

        if (value.Length == 0 || value.Length > MaxText || value.Contains('@', StringComparison.Ordinal) || value.Contains(';', StringComparison.Ordinal)
            || value.Contains('/', StringComparison.Ordinal) || value.Contains('?', StringComparison.Ordinal))
        {
            throw CommandException.Invalid(Expected);
        }

        string host;
        string? port = null;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw CommandException.Invalid(Expected);
            }

            host = value[..(close + 1)];
            var rest = value[(close + 1)..];
            if (rest.Length > 0)
            {
                port = rest.StartsWith(':') ? rest[1..] : throw CommandException.Invalid(Expected);
            }
        }
        else
        {
            var colon = value.LastIndexOf(':');
            (host, port) = colon < 0 ? (value, null) : (value[..colon], value[(colon + 1)..]);
        }

        if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown
            || (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)))
        {
            throw CommandException.Invalid(Expected);
        }

        return $"sip:{host.ToLowerInvariant()}{(port is null ? "" : ":" + int.Parse(port, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture))}{(tcp ? ";transport=tcp" : "")}";
    }

    private static bool IsUserChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '~' or '+' or '-';
}
