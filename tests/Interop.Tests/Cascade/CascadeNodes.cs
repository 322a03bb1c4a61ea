using System.Globalization;
using System.Text.Json.Nodes;
using Interop.Tests.Sip;

namespace Interop.Tests.Cascade;

/// <summary>
/// The deployments of a cascade on one machine, each its own process with its own data folder and store:
/// the upper one knows the lower as its venues <see cref="Sha256Venue"/> and <see cref="Md5Venue"/>, and
/// the lower one registers to it as one of them through a configured uplink.
/// </summary>
internal static class CascadeNodes
{
    public const string Sha256Venue = "cascade-foshan";
    public const string Sha256User = "4406";
    public const string Sha256Password = "cascade-4406-Sample!";
    public const string Md5Venue = "cascade-foshan-md5";
    public const string Md5User = "4407";
    public const string Md5Password = "cascade-4407-Sample!";

    /// <summary>The upper: the loopback topology plus the two venues for deployments below it, on a fixed SIP port so it can restart there.</summary>
    public static async Task<BridgeNode> StartUpperAsync(DirectoryInfo work, int sipPort, params string[] settings)
    {
        var doc = JsonNode.Parse(File.ReadAllText(Topology.WriteLoopback(work.FullName)))!;
        doc["venues"]!.AsArray().Add(new JsonObject
        {
            ["id"] = Sha256Venue, ["name"] = "佛山市(级联)", ["regionCode"] = "440000", ["kind"] = "branch",
            ["sipUser"] = Sha256User, ["sipPassword"] = Sha256Password,
        });
        doc["venues"]!.AsArray().Add(new JsonObject
        {
            ["id"] = Md5Venue, ["name"] = "佛山市(级联, MD5)", ["regionCode"] = "440000", ["kind"] = "branch",
            ["sipUser"] = Md5User, ["sipPassword"] = Md5Password, ["sipDigest"] = "MD5",
        });
        var path = Path.Combine(work.FullName, "upper-topology.json");
        await File.WriteAllTextAsync(path, doc.ToJsonString(), TestContext.Current.CancellationToken);
        return await BridgeNode.StartAsync(work, [$"--Command:TopologyFile={path}", $"--Command:Bridge:SipPort={sipPort.ToString(CultureInfo.InvariantCulture)}", .. settings]);
    }

    /// <summary>The lower: its uplink to the upper's SIP port as <see cref="Sha256Venue"/>, with short cascade timings, then any further settings.</summary>
    public static Task<BridgeNode> StartLowerAsync(DirectoryInfo work, int upperSipPort, params string[] settings) =>
        BridgeNode.StartAsync(
            work,
            [
                "--Command:Cascade:Uplinks:0:Name=广东省平台",
                $"--Command:Cascade:Uplinks:0:Registrar=sip:127.0.0.1:{upperSipPort.ToString(CultureInfo.InvariantCulture)}",
                $"--Command:Cascade:Uplinks:0:Username={Sha256User}",
                $"--Command:Cascade:Uplinks:0:Password={Sha256Password}",
                "--Command:Cascade:KeepAliveSeconds=1",
                "--Command:Cascade:AnswerTimeoutSeconds=1",
                "--Command:Cascade:MaxBackoffSeconds=2",
                "--Command:Cascade:ClaimSeconds=0.5",
                .. settings,
            ]);

    /// <summary>Stops the nodes in the order given (lower levels first) and removes their data folders.</summary>
    public static async Task StopAsync(IEnumerable<BridgeNode?> nodes, params DirectoryInfo[] work)
    {
        foreach (var node in nodes)
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        foreach (var folder in work)
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
