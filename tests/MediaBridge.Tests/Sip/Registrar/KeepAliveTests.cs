using System.Net;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Registrar;
using MediaBridge.Sip.Transactions;
using MediaBridge.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Sip.Registrar;

/// <summary>OPTIONS keep-alives over loopback UDP, with short transaction timers so a timeout takes 640 ms.</summary>
public sealed class KeepAliveTests : IAsyncLifetime
{
    private const string Domain = "127.0.0.1";
    private readonly PresenceRecorder presence = new();
    private readonly TestTerminal terminal = new(Domain);
    private UdpSipTransport transport = null!;
    private SipTransactionLayer layer = null!;
    private SipRegistrar registrar = null!;

    public async ValueTask InitializeAsync()
    {
        var digest = new DigestAuthenticator(Domain, new NonceIssuer(new byte[32], TimeProvider.System, TimeSpan.FromMinutes(5)), u => u == "2101" ? "fs-2101-Sample!" : null);
        registrar = new SipRegistrar(digest, TimeProvider.System, presence);
        var core = new SipCore(registrar);
        transport = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        layer = new SipTransactionLayer(transport, core, TimeProvider.System, new SipTimerSettings(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(50)));
        core.Transactions = layer;
        transport.Start(layer, TimeSpan.FromMilliseconds(5));
        Assert.Equal(200, (await terminal.RegisterAsync(transport.LocalEndPoint, "fs-2101-Sample!")).StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        terminal.Dispose();
        await transport.DisposeAsync();
    }

    [Fact]
    public async Task A_terminal_that_answers_its_keep_alives_stays_online()
    {
        for (var round = 0; round < 3; round++)
        {
            registrar.Ping(layer, transport.LocalEndPoint, Domain);
            var ping = Assert.IsType<SipRequest>(await terminal.ReceiveAsync(TimeSpan.FromSeconds(2)));
            Assert.Equal("OPTIONS", ping.Method);
            Assert.StartsWith("sip:2101@", ping.RequestUri, StringComparison.Ordinal);
            terminal.SendTo(SipWriter.Write(SipResponses.For(ping, 200)), transport.LocalEndPoint);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await Task.Delay(800, TestContext.Current.CancellationToken);

        Assert.Equal(["online 2101"], presence.Events);
        Assert.Single(registrar.BindingsOf("2101"));
    }

    [Fact]
    public async Task A_terminal_that_stops_answering_is_dropped_after_two_missed_keep_alives()
    {
        registrar.Ping(layer, transport.LocalEndPoint, Domain);
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        Assert.Equal(["online 2101"], presence.Events);

        registrar.Ping(layer, transport.LocalEndPoint, Domain);
        await Task.Delay(1500, TestContext.Current.CancellationToken);

        Assert.Equal(["online 2101", "offline 2101 (keep-alive unanswered)"], presence.Events);
        Assert.Empty(registrar.BindingsOf("2101"));
    }
}
