namespace MediaBridge.Rtsp;

/// <summary>An RTSP message's headers in order, looked up without regard to case (RFC 2326 §4.2).</summary>
public sealed class RtspHeaders(IReadOnlyList<KeyValuePair<string, string>> fields)
{
    public static readonly RtspHeaders Empty = new([]);

    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; } = fields;

    /// <summary>The first value of a header, or null.</summary>
    public string? this[string name] => Fields.FirstOrDefault(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> Values(string name) =>
        Fields.Where(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value);
}
