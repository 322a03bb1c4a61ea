namespace MediaBridge.Sip;

/// <summary>A message's headers in arrival order, looked up by normalized name.</summary>
public sealed class SipHeaders(IReadOnlyList<SipHeader> headers)
{
    public IReadOnlyList<SipHeader> All { get; } = headers;

    public string? this[string name] => All.FirstOrDefault(h => Is(h, name))?.Value;

    public IEnumerable<string> Values(string name) => All.Where(h => Is(h, name)).Select(h => h.Value);

    public int Count(string name) => All.Count(h => Is(h, name));

    /// <summary>Every comma-separated element of every header of this name (RFC 3261 §7.3.1).</summary>
    public List<string> Elements(string name) => [.. Values(name).SelectMany(v => HeaderText.SplitTopLevel(v, ','))];

    private static bool Is(SipHeader h, string name) => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase);
}
