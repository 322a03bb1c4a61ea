using System.Text.RegularExpressions;

namespace MediaBridge.Sip;

/// <summary>
/// One Via value (RFC 3261 §20.42): sent-protocol, sent-by and parameters. Linear white space
/// around '/', ';' and '=' is allowed (§7.3.1) and removed.
/// </summary>
public sealed partial record ViaHeader(string Protocol, string Version, string Transport, string Host, int? Port, IReadOnlyList<SipParameter> Parameters)
{
    /// <summary>RFC 3261 §8.1.1.7: branches starting with this cookie are unique per transaction.</summary>
    public const string MagicCookie = "z9hG4bK";

    public string? Branch => Parameter("branch");

    public string? Parameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    public static bool TryParse(string value, out ViaHeader via)
    {
        via = null!;
        var match = SentProtocol().Match(value);
        if (!match.Success)
        {
            return false;
        }

        var segments = HeaderText.SplitTopLevel(match.Groups["rest"].Value, ';');
        if (!SipUri.TryParseHostPort(segments[0].Trim(), out var host, out var port)
            || !HeaderText.TryParseParameters(segments.Skip(1), unescape: false, out var parameters))
        {
            return false;
        }

        via = new ViaHeader(
            match.Groups["name"].Value.ToUpperInvariant(),
            match.Groups["version"].Value,
            match.Groups["transport"].Value.ToUpperInvariant(),
            host,
            port,
            parameters);
        return true;
    }

    public override string ToString()
    {
        var hostPort = Port is { } p ? $"{Host}:{p}" : Host;
        var parameters = string.Concat(Parameters.Select(p => p.Value is null ? $";{p.Name}" : $";{p.Name}={p.Value}"));
        return $"{Protocol}/{Version}/{Transport} {hostPort}{parameters}";
    }

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z0-9.!%*_+`'~-]+)\s*/\s*(?<version>[A-Za-z0-9.!%*_+`'~-]+)\s*/\s*(?<transport>[A-Za-z0-9.!%*_+`'~-]+)\s+(?<rest>\S.*)$")]
    private static partial Regex SentProtocol();
}
