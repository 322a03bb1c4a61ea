namespace MediaBridge.Tests.Sip;

/// <summary>The RFC 4475 messages and EXPECTED.tsv from ../shared/conformance, found from the repository root.</summary>
public static class TortureSuite
{
    public static string Directory { get; } = Find();

    public static IReadOnlyDictionary<string, string[]> Rows { get; } = File.ReadAllLines(Path.Combine(Directory, "EXPECTED.tsv"))
        .Skip(1)
        .Where(l => l.Length > 0)
        .Select(l => l.Split('\t'))
        .ToDictionary(f => f[0], f => f);

    public static byte[] Read(string file) => File.ReadAllBytes(Path.Combine(Directory, file));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "conformance", "sip-torture-rfc4475");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/conformance/sip-torture-rfc4475 not found beside the repository");
    }
}
