using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Sip;

namespace Interop.Tests.Cascade;

/// <summary>
/// The lower deployment registers to the upper over TCP (<c>;transport=tcp</c>), and the upper's call on
/// its venue comes down that connection and is answered on it: the uplink goes in call.
/// </summary>
public sealed class CascadeTcpTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    private readonly DirectoryInfo upperWork = Directory.CreateTempSubdirectory("command-upper-tcp-");
    private readonly DirectoryInfo lowerWork = Directory.CreateTempSubdirectory("command-lower-tcp-");
    private readonly int upperSipPort = Ports.Free();
    private BridgeNode? upper;
    private BridgeNode? lower;

    [Fact]
    public async Task The_lower_registers_over_tcp_and_the_upper_s_call_comes_down_the_connection_and_is_answered()
    {
        upper = await CascadeNodes.StartUpperAsync(upperWork, upperSipPort, "--Logging:LogLevel:MediaBridge=Information");
        var registrar = $"sip:127.0.0.1:{upperSipPort.ToString(CultureInfo.InvariantCulture)};transport=tcp";
        lower = await CascadeNodes.StartLowerAsync(lowerWork, upperSipPort,
            $"--Command:Cascade:Uplinks:0:Registrar={registrar}",
            "--Command:Cascade:Uplinks:0:VenueIds:0=fs-main",
            "--Command:Cascade:Uplinks:0:VenueIds:1=fs-nanhai",
            "--Logging:LogLevel:MediaBridge=Information");

        var uplink = await UntilAsync("the uplink registered over TCP", async () =>
            (await lower.Node.Http.GetJsonAsync("/api/cascade/uplinks")).AsArray().FirstOrDefault(u => (string?)u!["status"] == "registered"));
        Assert.Equal(registrar, (string?)uplink["registrar"]);
        await UntilAsync("the upper's venue online", async () =>
            (string?)(await upper.Node.Http.GetJsonAsync($"/api/venues/{CascadeNodes.Sha256Venue}"))["status"] == "online" ? "yes" : null);

        var meeting = await upper.Node.Http.PostJsonAsync("/api/sessions",
            new { title = "TCP 级联", kind = "meeting", chairVenueId = "fs-chancheng", venueIds = new[] { CascadeNodes.Sha256Venue }, autoBackup = new { enabled = false } },
            HttpStatusCode.Created);
        var clock = Stopwatch.StartNew();
        await upper.Node.Http.PostJsonAsync($"/api/sessions/{(string)meeting["id"]!}/start", new { });

        var relayId = await UntilAsync("the uplink in call", async () =>
            (await lower.Node.Http.GetJsonAsync($"/api/cascade/uplinks/{(string)uplink["id"]!}")) is { } u && (string?)u["status"] == "in-call" ? (string?)u["sessionId"] : null);
        TestContext.Current.TestOutputHelper?.WriteLine($"meeting started to the uplink in call over TCP: {clock.ElapsedMilliseconds} ms");
        Assert.Equal("relay", (string?)(await lower.Node.Http.GetJsonAsync($"/api/sessions/{relayId}"))["kind"]);
        Assert.Contains("SIP TCP connection to 127.0.0.1:" + upperSipPort.ToString(CultureInfo.InvariantCulture), lower.Node.Output, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await CascadeNodes.StopAsync([lower, upper], upperWork, lowerWork);

    private async Task<T> UntilAsync<T>(string what, Func<Task<T?>> condition)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition() is { } value)
            {
                return value;
            }

            if (clock.Elapsed > Patience)
            {
                Assert.Fail($"Not met within {Patience}: {what}\nlower:\n{lower?.Node.Output}\nupper:\n{upper?.Node.Output}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
