using Command.Contracts;

namespace Command.Grains.Feeds;

/// <summary>What makes a camera feed acceptable: a name, an owner and an rtsp:// or rtp:// url with a host.</summary>
public static class FeedRules
{
    public static void Validate(string? name, string? url, string? owner)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            throw CommandException.Invalid("name is required (at most 200 characters).");
        }

        if (string.IsNullOrWhiteSpace(owner) || owner.Length > 200)
        {
            throw CommandException.Invalid("owner is required (at most 200 characters).");
        }

        if (string.IsNullOrWhiteSpace(url)
            || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != "rtsp" && uri.Scheme != "rtp")
            || string.IsNullOrEmpty(uri.Host))
        {
            throw CommandException.Invalid($"url '{url}' must be an rtsp:// or rtp:// address with a host.");
        }

        if (uri.Scheme == "rtp" && uri.IsDefaultPort)
        {
            throw CommandException.Invalid($"url '{url}' must name the RTP port.");
        }
    }
}
