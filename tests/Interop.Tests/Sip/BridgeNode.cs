using System.Globalization;
using System.Text.RegularExpressions;
using Command.Silo.Tests.Infrastructure;

namespace Interop.Tests.Sip;

/// <summary>A whole node on loopback with the loopback topology, healthy and signed in as the operator, and its bridge's SIP port.</summary>
public sealed partial class BridgeNode(SiloProcess node, int sipPort) : IAsyncDisposable
{
    public SiloProcess Node { get; } = node;

    public int SipPort { get; } = sipPort;

    /// <summary>Starts the node on <paramref name="work"/>'s data folder (again after a kill, to restart it), with any further settings.</summary>
    public static async Task<BridgeNode> StartAsync(DirectoryInfo work, params string[] settings)
    {
        var node = SiloProcess.Start(work.FullName, [$"--Command:DataDirectory={Path.Combine(work.FullName, "data")}", $"--Command:TopologyFile={Topology.WriteLoopback(work.FullName)}", .. settings]);
        try
        {
            await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            await node.SignInAsync();
            var health = await node.Http.GetJsonAsync("/health");
            var port = int.Parse(SipPortPattern().Match((string)health["checks"]!["bridge"]!["description"]!).Groups[1].Value, CultureInfo.InvariantCulture);
            return new BridgeNode(node, port);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Node.DisposeAsync();

    [GeneratedRegex(@"SIP on udp\+tcp [^:]+:(\d+)")]
    private static partial Regex SipPortPattern();
}
