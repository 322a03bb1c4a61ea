using System.Globalization;
using System.Net;

namespace MediaBridge.Tests.Ice;

/// <summary>
/// The checks Chromium's SDP parser (webrtc_sdp.cc, ParseCandidate) applies to an a=candidate line:
/// the attribute name once, then foundation, component, transport, priority, address, port, "typ"
/// and a type, each in its RFC 8839 §5.1 grammar.
/// </summary>
internal static class ChromiumCandidateParser
{
    public static bool TryParse(string line, out string error)
    {
        error = "";
        const string prefix = "a=candidate:";
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
        {
            error = "not an a=candidate line";
            return false;
        }

        var fields = line[prefix.Length..].Split(' ');
        if (fields.Length < 8)
        {
            error = "fewer than 8 fields";
            return false;
        }

        if (fields[0].Length is 0 or > 32 || !fields[0].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/'))
        {
            error = $"foundation '{fields[0]}' is not 1*32ice-char";
            return false;
        }

        if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var component) || component is < 1 or > 256)
        {
            error = $"component-id '{fields[1]}'";
            return false;
        }

        if (!fields[2].Equals("udp", StringComparison.OrdinalIgnoreCase) && !fields[2].Equals("tcp", StringComparison.OrdinalIgnoreCase))
        {
            error = $"transport '{fields[2]}'";
            return false;
        }

        if (!uint.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            error = $"priority '{fields[3]}'";
            return false;
        }

        if (!IPAddress.TryParse(fields[4], out _) || !ushort.TryParse(fields[5], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            error = $"connection address '{fields[4]} {fields[5]}'";
            return false;
        }

        if (fields[6] != "typ" || fields[7] is not ("host" or "srflx" or "prflx" or "relay"))
        {
            error = $"candidate type '{fields[6]} {fields[7]}'";
            return false;
        }

        return true;
    }
}
