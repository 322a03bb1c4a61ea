namespace MediaBridge.Sip;

/// <summary>Canonical header names, and the compact forms of RFC 3261 §7.3.3 and later RFCs.</summary>
public static class HeaderNames
{
    public const string Accept = "Accept";
    public const string Allow = "Allow";
    public const string Authorization = "Authorization";
    public const string CallId = "Call-ID";
    public const string Contact = "Contact";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string CSeq = "CSeq";
    public const string Expires = "Expires";
    public const string RecordRoute = "Record-Route";
    public const string Subject = "Subject";
    public const string From = "From";
    public const string MaxForwards = "Max-Forwards";
    public const string Require = "Require";
    public const string Route = "Route";
    public const string Server = "Server";
    public const string Supported = "Supported";
    public const string To = "To";
    public const string Unsupported = "Unsupported";
    public const string UserAgent = "User-Agent";
    public const string Via = "Via";
    public const string Warning = "Warning";
    public const string WwwAuthenticate = "WWW-Authenticate";

    private static readonly Dictionary<string, string> Canonical = new(StringComparer.OrdinalIgnoreCase)
    {
        ["i"] = CallId, ["m"] = Contact, ["e"] = "Content-Encoding", ["l"] = ContentLength, ["c"] = ContentType,
        ["f"] = From, ["s"] = "Subject", ["k"] = Supported, ["t"] = To, ["v"] = Via, ["o"] = "Event",
        ["u"] = "Allow-Events", ["r"] = "Refer-To", ["b"] = "Referred-By", ["x"] = "Session-Expires", ["y"] = "Identity",
        [Accept] = Accept, [Allow] = Allow, [Authorization] = Authorization, [CallId] = CallId, [Contact] = Contact,
        [ContentLength] = ContentLength, [ContentType] = ContentType, [CSeq] = CSeq, [Expires] = Expires, [From] = From,
        [MaxForwards] = MaxForwards, [Require] = Require, [Route] = Route, [Server] = Server, [Supported] = Supported,
        [To] = To, [Unsupported] = Unsupported, [UserAgent] = UserAgent, [Via] = Via, [Warning] = Warning,
        [WwwAuthenticate] = WwwAuthenticate, ["Record-Route"] = "Record-Route", ["Proxy-Require"] = "Proxy-Require",
    };

    /// <summary>The canonical spelling for a known name or compact form; other names keep their spelling.</summary>
    public static string Normalize(string name) => Canonical.GetValueOrDefault(name, name);
}
