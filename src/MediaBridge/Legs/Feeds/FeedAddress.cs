using System.Globalization;
using System.Net;

namespace MediaBridge.Legs.Feeds;

/// <summary>
/// A feed's URL as the ingest reads it. <c>rtsp://…</c> is pulled over the RTSP connection
/// (interleaved, which passes firewalls and NAT and loses nothing to UDP drops) unless the query says
/// <c>transport=udp</c>; that parameter is taken out, the rest of the URL goes to the camera as it is.
/// <c>rtp://IP:PORT</c> (0.0.0.0 for every interface) is a port the bridge listens on for H.264 RTP,
/// payload type 96 unless the query says <c>pt=N</c>.
/// </summary>
public sealed record FeedAddress(bool Pull, string Url, bool Udp, IPEndPoint? Listen, int PayloadType)
{
    public static bool TryParse(string url, out FeedAddress address, out string error)
    {
        address = null!;
        error = "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            error = "The feed's URL is not an absolute rtsp:// or rtp:// URL";
            return false;
        }

        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Select(p => (Name: p[0], Value: p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "")).ToList();
        string? Get(string name) => query.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
        if (uri.Scheme.Equals("rtsp", StringComparison.OrdinalIgnoreCase))
        {
            var transport = Get("transport");
            if (transport is not null && !transport.Equals("udp", StringComparison.OrdinalIgnoreCase) && !transport.Equals("tcp", StringComparison.OrdinalIgnoreCase))
            {
                error = "transport= takes udp or tcp";
                return false;
            }

            var rest = query.Where(p => !p.Name.Equals("transport", StringComparison.OrdinalIgnoreCase)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value)}").ToList();
            var clean = new UriBuilder(uri) { Query = rest.Count == 0 ? "" : string.Join('&', rest), UserName = "", Password = "" }.Uri.ToString();
            address = new FeedAddress(true, clean, string.Equals(transport, "udp", StringComparison.OrdinalIgnoreCase), null, 96);
            return true;
        }

        if (uri.Scheme.Equals("rtp", StringComparison.OrdinalIgnoreCase))
        {
            if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) || uri.Port is <= 0 or > 65535)
            {
                error = "An rtp:// feed names the address and port to listen on, e.g. rtp://0.0.0.0:5004";
                return false;
            }

            var pt = 96;
            if (Get("pt") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out pt) || pt > 127))
            {
                error = "pt= takes an RTP payload type, 0 to 127";
                return false;
            }

            address = new FeedAddress(false, url, false, new IPEndPoint(ip, uri.Port), pt);
            return true;
        }

        error = $"The feed's URL scheme {uri.Scheme} is neither rtsp nor rtp";
        return false;
    }
}
