using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Command.Silo.Tests.Infrastructure;

namespace Command.Silo.Tests.Hosting;

/// <summary>
/// A second node started with a port another program holds stops at once with exit code 2 and one line
/// on standard error that names the setting to change, instead of a stack trace.
/// </summary>
public sealed class PortClashTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-ports-");

    [Theory]
    [InlineData("Urls", "tcp")]
    [InlineData("Command:SiloPort", "tcp")]
    [InlineData("Command:GatewayPort", "tcp")]
    [InlineData("Command:Bridge:SipPort", "udp")]
    [InlineData("Command:Bridge:SipPort", "tcp")]
    public async Task A_port_in_use_stops_start_up_with_one_line_naming_the_setting(string setting, string protocol)
    {
        using var holder = Hold(protocol, out var port);
        var value = setting == "Urls" ? $"http://127.0.0.1:{port}" : port.ToString(CultureInfo.InvariantCulture);

        await using var node = SiloProcess.Start(work.FullName, $"--Command:DataDirectory={Path.Combine(work.FullName, "data")}", $"--{setting}={value}");

        Assert.True(await node.WaitForExitAsync(TimeSpan.FromSeconds(90)), $"the node kept running:\n{node.Output}");
        Assert.Equal(2, node.ExitCode);
        var lines = node.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.Contains(setting, line, StringComparison.Ordinal);
        Assert.Contains(port.ToString(CultureInfo.InvariantCulture), line, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            work.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Socket Hold(string protocol, out int port)
    {
        var socket = protocol == "udp"
            ? new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        if (protocol == "tcp")
        {
            socket.Listen();
        }

        port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        return socket;
    }
}
