using System.Diagnostics;
using MediaBridge.Sip;

namespace MediaBridge.Tests.Sip.Registrar;

/// <summary>
/// OPTIONS keep-alives over loopback UDP with the normal SIP timers (Timer F 32 s): one keep-alive left
/// unanswered for its bound drops the binding, so a venue follows its terminal within one period.
/// </summary>
public sealed class KeepAliveTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);
    private readonly TestTerminal terminal = new(LoopbackBridge.Domain);
    private LoopbackBridge bridge = null!;

    public async ValueTask InitializeAsync()
    {
        bridge = LoopbackBridge.Start();
        Assert.Equal(200, (await terminal.RegisterAsync(bridge.Udp.LocalEndPoint, LoopbackBridge.Password)).StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        terminal.Dispose();
        await bridge.DisposeAsync();
    }

    [Fact]
    public async Task A_terminal_that_answers_its_keep_alives_stays_online_and_is_repeated_as_registered()
    {
        for (var round = 0; round < 3; round++)
        {
            bridge.KeepAlive(Bound);
            var ping = Assert.IsType<SipRequest>(await terminal.ReceiveAsync(TimeSpan.FromSeconds(2)));
            Assert.Equal("OPTIONS", ping.Method);
            Assert.StartsWith("sip:2101@", ping.RequestUri, StringComparison.Ordinal);
            terminal.SendTo(SipWriter.Write(SipResponses.For(ping, 200)), bridge.Udp.LocalEndPoint);
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await Task.Delay(Bound + TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        Assert.Equal(["online 2101"], bridge.Presence.Events);
        Assert.Equal(["2101", "2101", "2101"], bridge.Presence.Repeated);
        Assert.Single(bridge.Registrar.BindingsOf("2101"));
    }

    [Fact]
    public async Task One_keep_alive_left_unanswered_for_its_bound_drops_the_terminal()
    {
        var clock = Stopwatch.StartNew();
        bridge.KeepAlive(Bound);

        while (bridge.Registrar.BindingsOf("2101").Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Empty(bridge.Registrar.BindingsOf("2101"));
        Assert.InRange(clock.Elapsed, Bound, Bound + TimeSpan.FromMilliseconds(500));
        Assert.Equal(["online 2101", "offline 2101 (keep-alive unanswered)"], bridge.Presence.Events);
        var retransmissions = 0;
        while (retransmissions < 5)
        {
            try
            {
                Assert.Equal("OPTIONS", Assert.IsType<SipRequest>(await terminal.ReceiveAsync(TimeSpan.FromMilliseconds(200))).Method);
                retransmissions++;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Assert.True(retransmissions >= 2, $"the keep-alive was retransmitted within its bound ({retransmissions} sends)");
    }

    [Fact]
    public async Task A_terminal_that_registers_again_while_its_keep_alive_goes_unanswered_stays_registered()
    {
        bridge.KeepAlive(Bound);
        Assert.Equal("OPTIONS", Assert.IsType<SipRequest>(await terminal.ReceiveAsync(TimeSpan.FromSeconds(2))).Method);

        // Left unanswered, as by a terminal that restarted at the same contact; its new REGISTER is what counts.
        Assert.Equal(200, (await terminal.RegisterAsync(bridge.Udp.LocalEndPoint, LoopbackBridge.Password)).StatusCode);
        await Task.Delay(Bound + TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);

        Assert.Single(bridge.Registrar.BindingsOf("2101"));
        Assert.Equal(["online 2101"], bridge.Presence.Events);
    }
}
