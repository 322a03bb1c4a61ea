using MediaBridge.Sip;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Tests.Sip.Registrar;

/// <summary>OPTIONS keep-alives over loopback UDP, with short transaction timers so a timeout takes 640 ms.</summary>
public sealed class KeepAliveTests : IAsyncLifetime
{
    private const string Domain = LoopbackBridge.Domain;
    private readonly TestTerminal terminal = new(Domain);
    private LoopbackBridge bridge = null!;

    public async ValueTask InitializeAsync()
    {
        bridge = LoopbackBridge.Start(new SipTimerSettings(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(50)));
        Assert.Equal(200, (await terminal.RegisterAsync(bridge.Udp.LocalEndPoint, LoopbackBridge.Password)).StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        terminal.Dispose();
        await bridge.DisposeAsync();
    }

    [Fact]
    public async Task A_terminal_that_answers_its_keep_alives_stays_online()
    {
        for (var round = 0; round < 3; round++)
        {
            bridge.Registrar.Ping(bridge.Layer, bridge.Udp.LocalEndPoint, Domain);
            var ping = Assert.IsType<SipRequest>(await terminal.ReceiveAsync(TimeSpan.FromSeconds(2)));
            Assert.Equal("OPTIONS", ping.Method);
            Assert.StartsWith("sip:2101@", ping.RequestUri, StringComparison.Ordinal);
            terminal.SendTo(SipWriter.Write(SipResponses.For(ping, 200)), bridge.Udp.LocalEndPoint);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await Task.Delay(800, TestContext.Current.CancellationToken);

        Assert.Equal(["online 2101"], bridge.Presence.Events);
        Assert.Single(bridge.Registrar.BindingsOf("2101"));
    }

    [Fact]
    public async Task A_terminal_that_stops_answering_is_dropped_after_two_missed_keep_alives()
    {
        bridge.Registrar.Ping(bridge.Layer, bridge.Udp.LocalEndPoint, Domain);
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        Assert.Equal(["online 2101"], bridge.Presence.Events);

        bridge.Registrar.Ping(bridge.Layer, bridge.Udp.LocalEndPoint, Domain);
        await Task.Delay(1500, TestContext.Current.CancellationToken);

        Assert.Equal(["online 2101", "offline 2101 (keep-alive unanswered)"], bridge.Presence.Events);
        Assert.Empty(bridge.Registrar.BindingsOf("2101"));
    }
}
