using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaBridge.Sip;
using MediaBridge.Sip.Transport;
using MediaBridge.Tests.Sip.Registrar;

namespace MediaBridge.Tests.Sip;

/// <summary>
/// Forged UDP sources cannot silence a venue: an address with a live registration keeps its own
/// budget and is never blocked, and a flood spread over many sources is capped as a whole.
/// </summary>
public sealed class FloodBudgetTests
{
    private static readonly IPAddress Venue = IPAddress.Parse("127.0.0.10");
    private static readonly IPAddress Stranger = IPAddress.Parse("127.0.0.11");

    [Fact]
    public void A_known_address_flooded_in_its_name_is_never_blocked_and_keeps_its_budget_after_the_burst()
    {
        var guard = new FloodGuard(limit: 10, window: TimeSpan.FromSeconds(2), blockFor: TimeSpan.FromSeconds(60)) { Peers = new Known(Venue) };
        var now = 0L;

        var allowed = Enumerable.Range(0, 1000).Count(_ => guard.Allow(Venue, now += TimeSpan.TicksPerMillisecond / 10));

        Assert.InRange(allowed, guard.KnownLimit, guard.KnownLimit + 5);
        Assert.True(guard.DroppedKnown > 0);
        Assert.True(guard.Allow(Venue, now + TimeSpan.FromSeconds(1).Ticks), "a known address is never blocked for the block period");
        Assert.Equal(0, guard.DroppedBlocked);
    }

    [Fact]
    public void An_unknown_address_is_still_blocked_and_a_spread_flood_is_capped_as_a_whole_without_touching_known_ones()
    {
        var guard = new FloodGuard(limit: 10, window: TimeSpan.FromSeconds(2), globalLimit: 100) { Peers = new Known(Venue) };
        var now = 0L;

        Assert.Equal(10, Enumerable.Range(0, 30).Count(_ => guard.Allow(Stranger, now += TimeSpan.TicksPerMillisecond)));
        Assert.False(guard.Allow(Stranger, now + TimeSpan.FromSeconds(30).Ticks));

        var spread = 0;
        for (var i = 0; i < 1000; i++)
        {
            spread += guard.Allow(IPAddress.Parse($"127.5.{i / 250}.{(i % 250) + 1}"), now += TimeSpan.TicksPerMillisecond / 100) ? 1 : 0;
        }

        Assert.InRange(spread, 90, 100);
        Assert.True(guard.DroppedGlobal >= 900);
        Assert.True(guard.Allow(Venue, now), "traffic from a registered address does not draw on the unknown budget");
    }

    [Fact]
    public async Task A_registered_terminal_keeps_registering_and_answering_keep_alives_through_forged_and_spread_floods()
    {
        var guard = new FloodGuard(limit: 20, window: TimeSpan.FromSeconds(2), blockFor: TimeSpan.FromSeconds(60));
        await using var bridge = LoopbackBridge.Start(guard: guard);
        var target = bridge.Udp.LocalEndPoint;
        using var terminal = new TestTerminal(LoopbackBridge.Domain);
        Assert.True(await TryRegisterAsync(terminal, target, tries: 3));

        // Forged: another socket on the terminal's own address, far over any one source's limit.
        using (var forger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            forger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            for (var i = 0; i < 300; i++)
            {
                forger.SendTo(Options(forger.LocalEndPoint!, $"forged{i}"), target);
            }
        }

        Assert.True(await TryRegisterAsync(terminal, target, tries: 5), "the terminal registers again right after a flood in its name");

        var sockets = Enumerable.Range(0, 1000).Select(i =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Parse($"127.6.{i / 250}.{(i % 250) + 1}"), 0));
            return s;
        }).ToList();
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            var sent = 0;
            var flood = Task.Run(
                async () =>
                {
                    for (var round = 0; round < 25 && !stop.IsCancellationRequested; round++)
                    {
                        foreach (var s in sockets)
                        {
                            s.SendTo(Options(s.LocalEndPoint!, $"spread{round}"), target);
                            sent++;
                        }

                        await Task.Delay(100, CancellationToken.None);
                    }
                },
                CancellationToken.None);

            var clock = Stopwatch.StartNew();
            var (refreshes, refreshed, keepAlives, fresh, freshTried) = (0, 0, 0, 0, 0);
            while (!flood.IsCompleted && refreshes < 40)
            {
                refreshes++;
                refreshed += await TryRegisterAsync(terminal, target, tries: 2) ? 1 : 0;
                bridge.KeepAlive(TimeSpan.FromSeconds(3));
                keepAlives += await AnswerKeepAliveAsync(terminal, target) ? 1 : 0;
                freshTried++;
                using (var newcomer = new TestTerminal(LoopbackBridge.Domain, IPAddress.Parse($"127.0.1.{freshTried}")))
                {
                    fresh += await TryRegisterAsync(newcomer, target, tries: 1) ? 1 : 0;
                }

                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            await stop.CancelAsync();
            await flood;
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"spread flood: {sent} datagrams from 1000 sources in {clock.ElapsedMilliseconds} ms; registered terminal: {refreshed}/{refreshes} refreshes (two tries, as a terminal retransmits), " +
                $"{keepAlives}/{refreshes} keep-alives answered; first registrations, each from a new address, one try: {fresh}/{freshTried}; " +
                $"dropped: {guard.DroppedGlobal} over the unknown budget, {guard.DroppedBlocked} blocked, {guard.DroppedKnown} over a known budget");

            Assert.Equal(refreshes, refreshed);
            Assert.True(keepAlives >= refreshes - 1, $"{keepAlives}/{refreshes} keep-alives answered");
            Assert.True(guard.DroppedGlobal > 0, "the spread flood was capped");
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }

        await Task.Delay(TimeSpan.FromSeconds(1.3), TestContext.Current.CancellationToken);
        Assert.Contains(bridge.Registrar.BindingsOf("2101"), b => b.Source.Equals(terminal.LocalEndPoint));
        Assert.DoesNotContain(bridge.Presence.Events, e => e.StartsWith("offline", StringComparison.Ordinal));
    }

    private static byte[] Options(EndPoint from, string id) => Encoding.ASCII.GetBytes(
        $"OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP {from};branch=z9hG4bK{id}{Guid.NewGuid():N}\r\nMax-Forwards: 70\r\n" +
        $"To: <sip:127.0.0.1>\r\nFrom: <sip:x@127.0.0.1>;tag=f\r\nCall-ID: {id}{Guid.NewGuid():N}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");

    /// <summary>A REGISTER with its challenge, each step given 500 ms, as a terminal that retries would do.</summary>
    private static async Task<bool> TryRegisterAsync(TestTerminal terminal, EndPoint bridge, int tries)
    {
        for (var attempt = 0; attempt < tries; attempt++)
        {
            var challenge = await ExchangeAsync(terminal, terminal.Register(null), bridge);
            if (challenge?.StatusCode != 401)
            {
                continue;
            }

            var auth = terminal.Authorization(challenge.Headers[HeaderNames.WwwAuthenticate]!, LoopbackBridge.Password, MediaBridge.Sip.Auth.DigestAlgorithm.Sha256);
            if ((await ExchangeAsync(terminal, terminal.Register(auth), bridge))?.StatusCode == 200)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sends a request and waits for the response with its CSeq, answering any keep-alive meanwhile.</summary>
    private static async Task<SipResponse?> ExchangeAsync(TestTerminal terminal, byte[] request, EndPoint bridge)
    {
        var cseq = Encoding.ASCII.GetString(request).Split("\r\n").First(l => l.StartsWith("CSeq:", StringComparison.Ordinal))[5..].Trim();
        terminal.SendTo(request, bridge);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMilliseconds(500))
        {
            SipMessage message;
            try
            {
                message = await terminal.ReceiveAsync(TimeSpan.FromMilliseconds(500) - deadline.Elapsed);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            if (message is SipRequest ping)
            {
                terminal.SendTo(SipWriter.Write(SipResponses.For(ping, 200)), bridge);
            }
            else if (message is SipResponse response && response.Headers[HeaderNames.CSeq] == cseq)
            {
                return response;
            }
        }

        return null;
    }

    private static async Task<bool> AnswerKeepAliveAsync(TestTerminal terminal, EndPoint bridge)
    {
        try
        {
            if (await terminal.ReceiveAsync(TimeSpan.FromMilliseconds(500)) is SipRequest { Method: "OPTIONS" } ping)
            {
                terminal.SendTo(SipWriter.Write(SipResponses.For(ping, 200)), bridge);
                return true;
            }
        }
        catch (OperationCanceledException)
        {
        }

        return false;
    }

    private sealed class Known(params IPAddress[] addresses) : ISipPeers
    {
        public bool IsKnown(IPAddress address) => addresses.Contains(address);
    }
}
