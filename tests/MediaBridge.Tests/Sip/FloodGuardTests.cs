using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaBridge.Sip;
using MediaBridge.Sip.Transport;

namespace MediaBridge.Tests.Sip;

public sealed class FloodGuardTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.9");
    private static readonly IPAddress Venue = IPAddress.Parse("127.0.0.10");

    [Fact]
    public void A_source_over_the_limit_is_blocked_for_the_block_period_and_others_are_not()
    {
        var guard = new FloodGuard(limit: 10, window: TimeSpan.FromSeconds(2), blockFor: TimeSpan.FromSeconds(60));
        var now = 0L;

        var allowed = Enumerable.Range(0, 30).Count(_ => guard.Allow(Attacker, now += TimeSpan.TicksPerMillisecond));

        Assert.Equal(10, allowed);
        Assert.True(guard.Allow(Venue, now));
        Assert.False(guard.Allow(Attacker, now + TimeSpan.FromSeconds(59).Ticks));
        Assert.True(guard.Allow(Attacker, now + TimeSpan.FromSeconds(61).Ticks));
    }

    [Fact]
    public void A_steady_source_under_the_limit_is_never_blocked()
    {
        var guard = new FloodGuard(limit: 10, window: TimeSpan.FromSeconds(2));

        Assert.All(Enumerable.Range(0, 500), i => Assert.True(guard.Allow(Venue, i * TimeSpan.FromMilliseconds(250).Ticks)));
    }

    [Theory]
    [InlineData("friendly-scanner")]
    [InlineData("sipvicious 0.3.0")]
    [InlineData("VaxSIPUserAgent/3.1")]
    public void Scanner_user_agents_get_no_answer_at_all(string agent)
    {
        var options = Encoding.ASCII.GetBytes(
            "OPTIONS sip:100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bKscan\r\nMax-Forwards: 70\r\n" +
            $"To: <sip:100@127.0.0.1>\r\nFrom: <sip:100@127.0.0.1>;tag=s\r\nCall-ID: scan@x\r\nCSeq: 1 OPTIONS\r\nUser-Agent: {agent}\r\nContent-Length: 0\r\n\r\n");

        var admission = SipAdmission.Admit(options, datagram: true);

        Assert.Equal(SipAdmissionOutcome.Drop, admission.Outcome);
        Assert.Equal(SipAdmissionOutcome.Drop, SipAdmission.Admit(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(options).Replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE", StringComparison.Ordinal)), true).Outcome);
    }

    [Fact]
    public async Task A_flooding_socket_is_ignored_by_the_transport()
    {
        await using var bridge = LoopbackBridge.Start(guard: new FloodGuard(limit: 5, window: TimeSpan.FromSeconds(5)));
        var transport = bridge.Udp;
        using var flooder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        flooder.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        for (var i = 0; i < 50; i++)
        {
            flooder.SendTo(Encoding.ASCII.GetBytes(
                $"OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP {flooder.LocalEndPoint};branch=z9hG4bKf{i}\r\nMax-Forwards: 70\r\n" +
                $"To: <sip:127.0.0.1>\r\nFrom: <sip:x@127.0.0.1>;tag=f\r\nCall-ID: flood{i}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"), transport.LocalEndPoint);
        }

        var answers = 0;
        var buffer = new byte[4096];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            while (true)
            {
                await flooder.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
                answers++;
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Equal(5, answers);
        Assert.Equal(45, transport.Flooded);
    }
}
