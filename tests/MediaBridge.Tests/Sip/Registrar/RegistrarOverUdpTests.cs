using System.Net;
using System.Text;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Registrar;
using MediaBridge.Sip.Transactions;
using MediaBridge.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Sip.Registrar;

/// <summary>A venue terminal registering with the bridge over real UDP sockets on loopback.</summary>
public sealed class RegistrarOverUdpTests : IAsyncLifetime
{
    private const string Domain = "command.foshan.example";
    private readonly PresenceRecorder presence = new();
    private readonly TestTerminal terminal = new(Domain);
    private UdpSipTransport transport = null!;
    private SipRegistrar registrar = null!;

    public async ValueTask InitializeAsync()
    {
        var digest = new DigestAuthenticator(Domain, new NonceIssuer(new byte[32], TimeProvider.System, TimeSpan.FromMinutes(5)), u => u == "2101" ? "fs-2101-Sample!" : null);
        registrar = new SipRegistrar(digest, TimeProvider.System, presence);
        var core = new SipCore(registrar);
        transport = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        var layer = new SipTransactionLayer(transport, core, TimeProvider.System);
        core.Transactions = layer;
        transport.Start(layer, TimeSpan.FromMilliseconds(20));
        await Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        terminal.Dispose();
        await transport.DisposeAsync();
    }

    [Fact]
    public async Task A_terminal_is_challenged_then_registered_and_reported_online()
    {
        var challenge = await RoundTripAsync(Register(null));
        Assert.Equal(401, challenge.StatusCode);
        var offered = challenge.Headers.Values(HeaderNames.WwwAuthenticate).ToList();
        Assert.Equal(2, offered.Count);
        Assert.Contains("algorithm=SHA-256", offered[0], StringComparison.Ordinal);

        var ok = await RoundTripAsync(Register(Authorization(offered[0], "fs-2101-Sample!", DigestAlgorithm.Sha256)));

        Assert.Equal(200, ok.StatusCode);
        Assert.Contains("expires=", ok.Headers[HeaderNames.Contact], StringComparison.Ordinal);
        Assert.Equal(["online 2101"], presence.Events);
        Assert.Equal(((IPEndPoint)terminal.LocalEndPoint).Port, Assert.Single(registrar.BindingsOf("2101")).Source.Port);
    }

    [Fact]
    public async Task A_wrong_password_is_challenged_again_and_the_venue_stays_offline()
    {
        var challenge = await RoundTripAsync(Register(null));

        var refused = await RoundTripAsync(Register(Authorization(challenge.Headers[HeaderNames.WwwAuthenticate]!, "wrong-password", DigestAlgorithm.Sha256)));

        Assert.Equal(401, refused.StatusCode);
        Assert.Empty(presence.Events);
        Assert.Empty(registrar.BindingsOf("2101"));
    }

    [Fact]
    public async Task Unregistering_reports_the_venue_offline()
    {
        var challenge = await RoundTripAsync(Register(null));
        var header = challenge.Headers[HeaderNames.WwwAuthenticate]!;
        await RoundTripAsync(Register(Authorization(header, "fs-2101-Sample!", DigestAlgorithm.Md5)));

        var bye = await RoundTripAsync(Register(Authorization(header, "fs-2101-Sample!", DigestAlgorithm.Md5, nc: "00000002"), expires: 0));

        Assert.Equal(200, bye.StatusCode);
        Assert.Equal(["online 2101", "offline 2101 (unregistered)"], presence.Events);
    }

    [Fact]
    public async Task A_too_short_registration_is_refused_with_min_expires()
    {
        var challenge = await RoundTripAsync(Register(null));

        var brief = await RoundTripAsync(Register(Authorization(challenge.Headers[HeaderNames.WwwAuthenticate]!, "fs-2101-Sample!", DigestAlgorithm.Sha256), expires: 10));

        Assert.Equal(423, brief.StatusCode);
        Assert.Equal("60", brief.Headers["Min-Expires"]);
    }

    [Fact]
    public async Task Garbage_does_not_stop_the_socket_loop()
    {
        foreach (var file in new[] { "ncl.dat", "bigcode.dat", "clerr.dat" })
        {
            terminal.SendTo(TortureSuite.Read(file), transport.LocalEndPoint);
        }

        terminal.SendTo(new byte[] { 0, 1, 2, 3 }, transport.LocalEndPoint);
        var options = await RoundTripAsync(Encoding.ASCII.GetBytes(
            $"OPTIONS sip:{Domain} SIP/2.0\r\nVia: SIP/2.0/UDP {terminal.LocalEndPoint};branch=z9hG4bK{Guid.NewGuid():N}\r\nMax-Forwards: 70\r\n" +
            $"To: <sip:{Domain}>\r\nFrom: <sip:2101@{Domain}>;tag=t1\r\nCall-ID: {Guid.NewGuid():N}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"), skipStatus: 400);

        Assert.Equal(200, options.StatusCode);
        Assert.Contains("REGISTER", options.Headers[HeaderNames.Allow], StringComparison.Ordinal);
    }

    private Task<SipResponse> RoundTripAsync(byte[] request, int? skipStatus = null) => terminal.RoundTripAsync(request, transport.LocalEndPoint, skipStatus);

    private byte[] Register(string? authorization, int expires = 600) => terminal.Register(authorization, expires);

    private string Authorization(string challenge, string password, DigestAlgorithm algorithm, string nc = "00000001") => terminal.Authorization(challenge, password, algorithm, nc);
}
