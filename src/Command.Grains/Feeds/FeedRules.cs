using System.Net;
using Command.Contracts;
using Command.Contracts.Feeds;

namespace Command.Grains.Feeds;

/// <summary>
/// What makes a camera feed acceptable: a name, an owner and an rtsp:// url with a host, or an rtp:// url
/// naming the address and port the bridge listens on for the push (<c>rtp://0.0.0.0:PORT</c> or <c>rtp://IP:PORT</c>).
/// Credentials go in their own fields, never in the url, so that they can be kept encrypted.
/// </summary>
public static class FeedRules
{
    private const int MaxCredential = 200;

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
            throw CommandException.Invalid("url must be an rtsp:// or rtp:// address with a host.");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw CommandException.Invalid("url must not carry credentials; give them as username and password.");
        }

        if (uri.Scheme == "rtp")
        {
            if (uri.IsDefaultPort || uri.Port is < 1 or > 65535)
            {
                throw CommandException.Invalid("url must name the RTP port: rtp://0.0.0.0:PORT or rtp://IP:PORT.");
            }

            if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out _) || uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0)
            {
                throw CommandException.Invalid("an rtp:// url is the address the bridge listens on: rtp://0.0.0.0:PORT or rtp://IP:PORT.");
            }
        }
    }

    public static void ValidateCredentials(FeedCredentials? credentials)
    {
        if (credentials is null)
        {
            return;
        }

        if (credentials.Username?.Length > MaxCredential || credentials.Password?.Length > MaxCredential)
        {
            throw CommandException.Invalid($"username and password are at most {MaxCredential} characters.");
        }

        if (string.IsNullOrEmpty(credentials.Username) && !string.IsNullOrEmpty(credentials.Password))
        {
            throw CommandException.Invalid("a password needs a username.");
        }
    }
}
