using System.Diagnostics;
using System.Net;
using MediaBridge.Sip;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Tests.Sip.Transactions;

/// <summary>The transport's timer loop sleeps until a transaction timer is due, on the real clock.</summary>
public sealed class TimerWaitTests
{
    private static readonly IPEndPoint Peer = new(IPAddress.Loopback, 5070);
    private static readonly TimeSpan T1 = TimeSpan.FromMilliseconds(150);
    private readonly RecordingSender wire = new(TimeProvider.System);
    private readonly SipTransactionLayer layer;

    public TimerWaitTests() =>
        layer = new SipTransactionLayer(wire, new RecordingUser(), TimeProvider.System, new SipTimerSettings(T1, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)));

    [Fact]
    public async Task With_no_timer_armed_the_wait_lasts_the_longest_it_was_given()
    {
        var clock = Stopwatch.StartNew();

        await layer.WaitForTimerAsync(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_wait_ends_when_the_earliest_timer_comes_due_and_the_request_is_then_resent()
    {
        layer.Send(Options("z9hG4bKwait1"), Peer, reliable: false);

        var resentAt = await RunUntilResentAsync();

        Assert.InRange(resentAt, T1 - TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(10));
        Assert.Equal(2, wire.Sent.Count);
    }

    [Fact]
    public async Task A_timer_armed_during_a_long_wait_ends_it_when_it_comes_due()
    {
        var waiting = layer.WaitForTimerAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        layer.Send(Options("z9hG4bKwait2"), Peer, reliable: false);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var resentAt = await RunUntilResentAsync();
        Assert.InRange(resentAt, TimeSpan.Zero, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancelling_ends_the_wait_at_once()
    {
        using var stop = new CancellationTokenSource();
        var waiting = layer.WaitForTimerAsync(TimeSpan.FromSeconds(60), stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    /// <summary>What the UDP transport's loop does: wait, then run what is due, until the first resend went out.</summary>
    private async Task<TimeSpan> RunUntilResentAsync()
    {
        var clock = Stopwatch.StartNew();
        while (wire.Sent.Count < 2 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await layer.WaitForTimerAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            layer.Poll();
        }

        return wire.Sent.Count < 2 ? TimeSpan.MaxValue : wire.Sent[1].At;
    }

    private static SipRequest Options(string branch) => new(
        "OPTIONS", "sip:2101@127.0.0.1:5070", "SIP/2.0",
        new SipHeaders(
        [
            new(HeaderNames.Via, $"SIP/2.0/UDP 127.0.0.1:5060;branch={branch}"),
            new(HeaderNames.MaxForwards, "70"),
            new(HeaderNames.To, "<sip:2101@command.example>"),
            new(HeaderNames.From, "<sip:bridge@command.example>;tag=bridge1"),
            new(HeaderNames.CallId, $"{branch}@bridge"),
            new(HeaderNames.CSeq, "1 OPTIONS"),
        ]),
        ReadOnlyMemory<byte>.Empty);
}
