using System.Net;
using System.Text;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;

namespace MediaBridge.Tests.Sip.Registrar;

/// <summary>A venue terminal registering with the bridge over real UDP sockets on loopback.</summary>
public sealed class RegistrarOverUdpTests : IAsyncLifetime
{
    private const string Domain = LoopbackBridge.Domain;
    private readonly TestTerminal terminal = new(Domain);
    private LoopbackBridge bridge = null!;

    public ValueTask InitializeAsync()
    {
        bridge = LoopbackBridge.Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        terminal.Dispose();
        await bridge.DisposeAsync();
    }

    [Fact]
    public async Task A_terminal_is_challenged_then_registered_and_reported_online()
    {
        var challenge = await RoundTripAsync(Register(null));
        Assert.Equal(401, challenge.StatusCode);
        var offered = challenge.Headers.Values(HeaderNames.WwwAuthenticate).ToList();
        Assert.Equal(2, offered.Count);
        Assert.Contains("algorithm=SHA-256", offered[0], StringComparison.Ordinal);

        var ok = await RoundTripAsync(Register(Authorization(offered[0], LoopbackBridge.Password, DigestAlgorithm.Sha256)));

        Assert.Equal(200, ok.StatusCode);
        Assert.Contains("expires=", ok.Headers[HeaderNames.Contact], StringComparison.Ordinal);
        Assert.Equal(["online 2101"], bridge.Presence.Events);
        Assert.Equal(((IPEndPoint)terminal.LocalEndPoint).Port, Assert.Single(bridge.Registrar.BindingsOf("2101")).Source.Port);
    }

    [Fact]
    public async Task A_wrong_password_is_challenged_again_and_the_venue_stays_offline()
    {
        var challenge = await RoundTripAsync(Register(null));

        var refused = await RoundTripAsync(Register(Authorization(challenge.Headers[HeaderNames.WwwAuthenticate]!, "wrong-password", DigestAlgorithm.Sha256)));

        Assert.Equal(401, refused.StatusCode);
        Assert.Empty(bridge.Presence.Events);
        Assert.Empty(bridge.Registrar.BindingsOf("2101"));
    }

    [Fact]
    public async Task Unregistering_reports_the_venue_offline()
    {
        var challenge = await RoundTripAsync(Register(null));
        var header = challenge.Headers[HeaderNames.WwwAuthenticate]!;
        await RoundTripAsync(Register(Authorization(header, LoopbackBridge.Password, DigestAlgorithm.Md5)));

        var bye = await RoundTripAsync(Register(Authorization(header, LoopbackBridge.Password, DigestAlgorithm.Md5, nc: "00000002"), expires: 0));

        Assert.Equal(200, bye.StatusCode);
        Assert.Equal(["online 2101", "offline 2101 (unregistered)"], bridge.Presence.Events);
    }

    [Fact]
    public async Task A_too_short_registration_is_refused_with_min_expires()
    {
        var challenge = await RoundTripAsync(Register(null));

        var brief = await RoundTripAsync(Register(Authorization(challenge.Headers[HeaderNames.WwwAuthenticate]!, LoopbackBridge.Password, DigestAlgorithm.Sha256), expires: 10));

        Assert.Equal(423, brief.StatusCode);
        Assert.Equal("60", brief.Headers["Min-Expires"]);
    }

    [Fact]
    public async Task Garbage_does_not_stop_the_socket_loop()
    {
        foreach (var file in new[] { "ncl.dat", "bigcode.dat", "clerr.dat" })
        {
            terminal.SendTo(TortureSuite.Read(file), bridge.Udp.LocalEndPoint);
        }

        terminal.SendTo(new byte[] { 0, 1, 2, 3 }, bridge.Udp.LocalEndPoint);
        var options = await RoundTripAsync(Encoding.ASCII.GetBytes(
            $"OPTIONS sip:{Domain} SIP/2.0\r\nVia: SIP/2.0/UDP {terminal.LocalEndPoint};branch=z9hG4bK{Guid.NewGuid():N}\r\nMax-Forwards: 70\r\n" +
            $"To: <sip:{Domain}>\r\nFrom: <sip:2101@{Domain}>;tag=t1\r\nCall-ID: {Guid.NewGuid():N}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"), skipStatus: 400);

        Assert.Equal(200, options.StatusCode);
        Assert.Contains("REGISTER", options.Headers[HeaderNames.Allow], StringComparison.Ordinal);
    }

    private Task<SipResponse> RoundTripAsync(byte[] request, int? skipStatus = null) => terminal.RoundTripAsync(request, bridge.Udp.LocalEndPoint, skipStatus);

    private byte[] Register(string? authorization, int expires = 600) => terminal.Register(authorization, expires);

    private string Authorization(string challenge, string password, DigestAlgorithm algorithm, string nc = "00000001") => terminal.Authorization(challenge, password, algorithm, nc);
}
