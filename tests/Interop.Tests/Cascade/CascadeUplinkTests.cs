using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;
using Interop.Tests.Sip;

namespace Interop.Tests.Cascade;

/// <summary>
/// Two deployments on one machine, each its own process with its own data folder, store and ports,
/// linked only by SIP: the lower registers to the upper as one of the upper's venues.
/// </summary>
public sealed class CascadeUplinkTests : IAsyncLifetime
{
    private const string Sha256Venue = CascadeNodes.Sha256Venue;
    private const string Sha256User = CascadeNodes.Sha256User;
    private const string Sha256Password = CascadeNodes.Sha256Password;
    private const string Md5Venue = CascadeNodes.Md5Venue;
    private const string Md5User = CascadeNodes.Md5User;
    private const string Md5Password = CascadeNodes.Md5Password;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private readonly DirectoryInfo upperWork = Directory.CreateTempSubdirectory("command-upper-");
    private readonly DirectoryInfo lowerWork = Directory.CreateTempSubdirectory("command-lower-");
    private readonly int upperSipPort = Ports.Free();
    private BridgeNode? upper;
    private BridgeNode? lower;

    public async ValueTask InitializeAsync()
    {
        upper = await StartUpperAsync();
        lower = await CascadeNodes.StartLowerAsync(lowerWork, upperSipPort);
    }

    public async ValueTask DisposeAsync() => await CascadeNodes.StopAsync([lower, upper], upperWork, lowerWork);

    [Fact]
    public async Task The_lower_deployment_registers_as_a_venue_of_the_upper_and_does_so_again_after_the_upper_restarts()
    {
        var first = Stopwatch.StartNew();
        var configured = await UplinkAsync(u => (string?)u["name"] == "广东省平台");
        await WaitAsync("the configured uplink registered", async () => (string?)(await UplinkAsync((string)configured["id"]!))["status"] == "registered");
        await WaitAsync("the upper's venue online", async () => await VenueStatusAsync(Sha256Venue) == "online");
        TestContext.Current.TestOutputHelper?.WriteLine($"configured uplink registered and its venue online {first.Elapsed.TotalSeconds:0.0} s after the lower was healthy");
        var listed = await UplinkAsync((string)configured["id"]!);
        Assert.Equal($"sip:127.0.0.1:{upperSipPort}", (string?)listed["registrar"]);
        Assert.Null(listed["sessionId"]);
        Assert.Null(listed["password"]);

        var md5 = await lower!.Node.Http.PostJsonAsync("/api/cascade/uplinks",
            new { name = "省平台(MD5)", registrar = $"127.0.0.1:{upperSipPort}", username = Md5User, password = Md5Password }, HttpStatusCode.Created);
        var wrong = await lower.Node.Http.PostJsonAsync("/api/cascade/uplinks",
            new { name = "省平台(错误密码)", registrar = $"sip:127.0.0.1:{upperSipPort}", username = Sha256User, password = "not-the-password" }, HttpStatusCode.Created);
        Assert.Null(md5["password"]);
        await WaitAsync("the MD5 uplink registered", async () => (string?)(await UplinkAsync((string)md5["id"]!))["status"] == "registered");
        await WaitAsync("the MD5 venue online", async () => await VenueStatusAsync(Md5Venue) == "online");
        await WaitAsync("the wrong password refused", async () =>
            (string?)(await UplinkAsync((string)wrong["id"]!))["reason"] is { } reason && reason.Contains("refused the username or password", StringComparison.Ordinal));
        Assert.Equal("offline", (string?)(await UplinkAsync((string)wrong["id"]!))["status"]);

        upper!.Node.KillHard();
        await upper.DisposeAsync();
        upper = null;
        var killed = Stopwatch.StartNew();
        await WaitAsync("the uplink offline once the upper is gone", async () => (string?)(await UplinkAsync((string)configured["id"]!))["status"] == "offline");
        TestContext.Current.TestOutputHelper?.WriteLine($"uplink offline {killed.Elapsed.TotalSeconds:0.0} s after the upper was killed (keep-alive 1 s, answer timeout 1 s)");

        upper = await StartUpperAsync();
        var clock = Stopwatch.StartNew();
        await WaitAsync("the uplink registered again by itself", async () => (string?)(await UplinkAsync((string)configured["id"]!))["status"] == "registered");
        await WaitAsync("the MD5 uplink registered again by itself", async () => (string?)(await UplinkAsync((string)md5["id"]!))["status"] == "registered");
        Assert.Equal("online", await VenueStatusAsync(Sha256Venue));
        TestContext.Current.TestOutputHelper?.WriteLine($"registered again {clock.Elapsed.TotalSeconds:0.0} s after the restarted upper was healthy");

        using var removed = await lower.Node.Http.DeleteAsync($"/api/cascade/uplinks/{(string)md5["id"]!}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await WaitAsync("the removed uplink's venue offline", async () => await VenueStatusAsync(Md5Venue) == "offline");
        Assert.DoesNotContain(Sha256Password, lower.Node.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Md5Password, lower.Node.Output, StringComparison.Ordinal);
    }

    private Task<BridgeNode> StartUpperAsync() => CascadeNodes.StartUpperAsync(upperWork, upperSipPort);

    private async Task<JsonNode> UplinkAsync(string id) => await lower!.Node.Http.GetJsonAsync($"/api/cascade/uplinks/{id}");

    private async Task<JsonNode> UplinkAsync(Func<JsonNode, bool> match)
    {
        var list = (await lower!.Node.Http.GetJsonAsync("/api/cascade/uplinks")).AsArray();
        return list.Single(u => match(u!))!;
    }

    private async Task<string?> VenueStatusAsync(string venueId) => (string?)(await upper!.Node.Http.GetJsonAsync($"/api/venues/{venueId}"))["status"];

    private async Task WaitAsync(string what, Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Patience)
            {
                var uplinks = (await lower!.Node.Http.GetJsonAsync("/api/cascade/uplinks")).ToJsonString();
                Assert.Fail($"Not met within {Patience}: {what}\nuplinks: {uplinks}\nlower:\n{lower.Node.Output}\nupper:\n{upper?.Node.Output}");
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
