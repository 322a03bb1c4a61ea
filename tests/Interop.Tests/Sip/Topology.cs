using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;

namespace Interop.Tests.Sip;

/// <summary>
/// The Foshan topology with its SIP domain set to the loopback address (so terminals resolve
/// nothing), and the softphone venues marked as older terminals (禅城, 南海, 顺德): baresip 1.0 answers MD5 only.
/// </summary>
public static class Topology
{
    public static string WriteLoopback(string folder)
    {
        var doc = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "samples", "topology", "foshan.json")))!;
        doc["sipDomain"] = "127.0.0.1";
        foreach (var venue in doc["venues"]!.AsArray())
        {
            if ((string?)venue!["sipUser"] is "2101" or "2102" or "2103")
            {
                venue["sipDigest"] = "MD5";
            }
        }

        var path = Path.Combine(folder, "topology.json");
        File.WriteAllText(path, doc.ToJsonString());
        return path;
    }
}
