using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Command.Contracts.Cascade;
using MediaBridge.Legs.Uplinks;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Registrar;
using MediaBridge.Sip.Registration;
using MediaBridge.Sip.Transactions;
using MediaBridge.Sip.Transport;
using MediaBridge.Tests.Sip.Registrar;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Legs.Uplinks;

/// <summary>
/// An uplink whose registrar says <c>;transport=tcp</c> registers over one TCP connection of the bridge's own
/// transport (RFC 3261 §18), keeps it for refreshes and keep-alives, answers requests from above on it, and
/// when it drops connects again with the back-off and is registered again, refreshing past its first expiry.
/// </summary>
public sealed class UplinkTcpTests : IAsyncDisposable
{
    // The stub grants 2 s, so the client refreshes every second; keep-alives every 0.7 s.
    private static readonly RegistrationTimings Timings = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(0.7), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2));
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TcpRegistrarStub upper = new(grantSeconds: 2);
    private readonly UdpSipTransport udp;
    private readonly TcpSipTransport tcp;
    private readonly SipTransactionLayer layer;
    private readonly SipRegistrations registrations = new();
    private readonly Reports reports = new();
    private readonly UplinkLegs uplinks;
    private readonly CancellationTokenSource stop = new();
    private readonly Task ticking;

    public UplinkTcpTests()
    {
        var digest = new DigestAuthenticator("127.0.0.1", new NonceIssuer(new byte[32], TimeProvider.System, TimeSpan.FromMinutes(5)), _ => null);
        var core = new SipCore(new SipRegistrar(digest, TimeProvider.System, new PresenceRecorder(), null)) { Registrations = registrations };
        (udp, tcp) = Bind();
        layer = new SipTransactionLayer(new SipTransports(udp, tcp), core, TimeProvider.System);
        core.Transactions = layer;
        udp.Start(layer, TimeSpan.FromMilliseconds(5));
        tcp.Start(layer);
        uplinks = new UplinkLegs(registrations, layer, TimeProvider.System, Timings, _ => SentBy, reports) { Tcp = tcp };
        ticking = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    uplinks.Tick();
                    layer.Poll();
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    private string SentBy => $"127.0.0.1:{udp.LocalEndPoint.Port}";

    private string Registrar => $"sip:127.0.0.1:{upper.Port};transport=tcp";

    [Fact]
    public async Task It_registers_over_tcp_with_tcp_via_and_contact_and_reuses_the_one_connection_for_refreshes_and_keep_alives()
    {
        await uplinks.ApplyAsync([new UplinkAssignment("up-tcp", Registrar, "2000", "pw")]);

        var first = await upper.NextAsync("REGISTER", Patience);
        var lines = first.Text.Split("\r\n");
        Assert.Equal($"REGISTER {Registrar} SIP/2.0", lines[0]);
        Assert.Matches($@"^Via: SIP/2\.0/TCP {Regex(SentBy)};branch=z9hG4bK[^;]+;rport$", Line(lines, "Via"));
        Assert.Equal($"Contact: <sip:2000@{SentBy};transport=tcp>", Line(lines, "Contact"));
        Assert.Equal("From: <sip:2000@127.0.0.1>", Line(lines, "From")[..Line(lines, "From").IndexOf(';', StringComparison.Ordinal)]);
        await Until(() => reports.Last == "up-tcp Registered");

        // Past the 2 s granted: refreshed, and checked with OPTIONS, all on the connection the first REGISTER opened.
        var refresh = await upper.NextAsync("REGISTER", Patience);
        var refreshAgain = await upper.NextAsync("REGISTER", Patience);
        var keepAlive = await upper.NextAsync("OPTIONS", Patience);
        Assert.All([refresh, refreshAgain, keepAlive], r => Assert.Equal((1, first.From), (r.Connection, r.From)));
        Assert.Contains("Via: SIP/2.0/TCP ", keepAlive.Text, StringComparison.Ordinal);
        Assert.Equal(1, upper.Connections);
        Assert.Equal("up-tcp Registered", reports.Last);
    }

    [Fact]
    public async Task A_request_from_above_on_the_connection_is_answered_on_it()
    {
        await uplinks.ApplyAsync([new UplinkAssignment("up-tcp", Registrar, "2000", "pw")]);
        var first = await upper.NextAsync("REGISTER", Patience);

        await upper.SendAsync(
            $"OPTIONS sip:2000@{SentBy};transport=tcp SIP/2.0\r\n" +
            $"Via: SIP/2.0/TCP 127.0.0.1:{upper.Port};branch=z9hG4bK-from-above\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:bridge@127.0.0.1:{upper.Port}>;tag=above\r\n" +
            $"To: <sip:2000@{SentBy}>\r\n" +
            "Call-ID: from-above@upper\r\n" +
            "CSeq: 7 OPTIONS\r\n" +
            "Content-Length: 0\r\n\r\n");

        var answer = await upper.NextResponseAsync(r => r.Text.Contains("Call-ID: from-above@upper", StringComparison.Ordinal), Patience);
        Assert.StartsWith("SIP/2.0 200 ", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Via: SIP/2.0/TCP 127.0.0.1:", answer.Text, StringComparison.Ordinal);
        Assert.Equal((1, first.From), (answer.Connection, answer.From));
        Assert.Equal(1, upper.Connections);
    }

    [Fact]
    public async Task A_dropped_connection_turns_it_offline_then_it_connects_again_after_the_back_off_and_refreshes_past_the_first_expiry()
    {
        await uplinks.ApplyAsync([new UplinkAssignment("up-tcp", Registrar, "2000", "pw")]);
        var first = await upper.NextAsync("REGISTER", Patience);
        await Until(() => reports.Last == "up-tcp Registered");

        upper.Drop();

        await Until(() => reports.Seen.Contains("up-tcp Offline no TCP connection to the registrar"));
        var again = await upper.NextAsync("REGISTER", r => r.Connection == 2, Patience);
        Assert.NotEqual(first.From, again.From);
        Assert.Contains($"Contact: <sip:2000@{SentBy};transport=tcp>", again.Text, StringComparison.Ordinal);
        await Until(() => reports.Last == "up-tcp Registered");

        // Two refreshes on the new connection: past the 2 s the registrar granted after the reconnection.
        var refresh = await upper.NextAsync("REGISTER", r => r.Connection == 2, Patience);
        var refreshAgain = await upper.NextAsync("REGISTER", r => r.Connection == 2, Patience);
        Assert.All([refresh, refreshAgain], r => Assert.Equal(again.From, r.From));
        Assert.True(refreshAgain.At - again.At > TimeSpan.FromSeconds(1.5), $"refreshed {refreshAgain.At - again.At} after registering again");
        Assert.Equal(2, upper.Connections);
        Assert.Equal("up-tcp Registered", reports.Last);
    }

    [Fact]
    public async Task A_registrar_that_refuses_the_connection_is_offline_and_tried_again_with_the_back_off_until_it_answers()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        await uplinks.ApplyAsync([new UplinkAssignment("up-tcp", $"sip:127.0.0.1:{port};transport=tcp", "2000", "pw")]);

        await Until(() => reports.Seen.Contains("up-tcp Offline no TCP connection to the registrar"));
        Assert.Equal(0, tcp.ConnectionCount);

        // The registrar comes up on that port: the next attempt, after the back-off, connects and registers.
        await using var late = new TcpRegistrarStub(grantSeconds: 60, port);
        await late.NextAsync("REGISTER", Patience);
        await Until(() => reports.Last == "up-tcp Registered");
        Assert.Equal(1, late.Connections);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await ticking;
        uplinks.StopAll();
        await tcp.DisposeAsync();
        await udp.DisposeAsync();
        await upper.DisposeAsync();
        stop.Dispose();
    }

    private static string Line(string[] lines, string name) => lines.First(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    private static async Task Until(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "the condition did not come true in time");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static (UdpSipTransport Udp, TcpSipTransport Tcp) Bind()
    {
        for (var attempt = 1; ; attempt++)
        {
            var u = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
            try
            {
                return (u, new TcpSipTransport(new IPEndPoint(IPAddress.Loopback, u.LocalEndPoint.Port), NullLogger.Instance));
            }
            catch (SocketException) when (attempt < 10)
            {
                u.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }

    private sealed class Reports : IUplinkReports
    {
        private readonly List<string> seen = [];

        public List<string> Seen
        {
            get
            {
                lock (seen)
                {
                    return [.. seen];
                }
            }
        }

        public string? Last => Seen.LastOrDefault();

        public void Report(string uplinkId, UplinkStatus status, string? reason, string? sessionId)
        {
            lock (seen)
            {
                seen.Add($"{uplinkId} {status} {reason}".Trim());
            }
        }
    }

    /// <summary>A registrar above on TCP, answering in literal wire text: 200 to REGISTER (granting a short expiry) and OPTIONS.</summary>
    private sealed class TcpRegistrarStub : IAsyncDisposable
    {
        private readonly TcpListener listener;
        private readonly int grantSeconds;
        private readonly Channel<Message> requests = Channel.CreateUnbounded<Message>();
        private readonly Channel<Message> responses = Channel.CreateUnbounded<Message>();
        private readonly List<Message> skipped = [];
        private readonly Task accepting;
        private Socket? current;
        private int connections;

        public TcpRegistrarStub(int grantSeconds, int port = 0)
        {
            this.grantSeconds = grantSeconds;
            listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            accepting = Task.Run(AcceptAsync);
        }

        public int Port { get; }

        public int Connections => Volatile.Read(ref connections);

        public Task<Message> NextAsync(string method, TimeSpan within) => NextAsync(method, _ => true, within);

        public async Task<Message> NextAsync(string method, Func<Message, bool> wanted, TimeSpan within)
        {
            if (skipped.FirstOrDefault(m => m.Text.StartsWith(method + " ", StringComparison.Ordinal) && wanted(m)) is { } earlier)
            {
                skipped.Remove(earlier);
                return earlier;
            }

            using var cts = new CancellationTokenSource(within);
            while (true)
            {
                var message = await requests.Reader.ReadAsync(cts.Token);
                if (message.Text.StartsWith(method + " ", StringComparison.Ordinal) && wanted(message))
                {
                    return message;
                }

                skipped.Add(message);
            }
        }

        public async Task<Message> NextResponseAsync(Func<Message, bool> wanted, TimeSpan within)
        {
            using var cts = new CancellationTokenSource(within);
            while (true)
            {
                var message = await responses.Reader.ReadAsync(cts.Token);
                if (wanted(message))
                {
                    return message;
                }
            }
        }

        public async Task SendAsync(string text) => await current!.SendAsync(Encoding.UTF8.GetBytes(text));

        public void Drop()
        {
            current!.Shutdown(SocketShutdown.Both);
            current.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            listener.Stop();
            current?.Dispose();
            try
            {
                await accepting;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task AcceptAsync()
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptSocketAsync();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var number = Interlocked.Increment(ref connections);
                current = socket;
                _ = Task.Run(() => ReadAsync(socket, number));
            }
        }

        private async Task ReadAsync(Socket socket, int number)
        {
            var from = (IPEndPoint)socket.RemoteEndPoint!;
            var pending = "";
            var buffer = new byte[8192];
            try
            {
                while (true)
                {
                    var read = await socket.ReceiveAsync(buffer);
                    if (read == 0)
                    {
                        return;
                    }

                    pending += Encoding.UTF8.GetString(buffer, 0, read);
                    while (pending.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and >= 0)
                    {
                        var head = pending[..end];
                        var length = head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                            .Select(l => int.Parse(l[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
                        if (pending.Length < end + 4 + length)
                        {
                            break;
                        }

                        var text = pending[..(end + 4 + length)];
                        pending = pending[(end + 4 + length)..];
                        var message = new Message(number, from, text, DateTimeOffset.UtcNow);
                        if (text.StartsWith("SIP/2.0 ", StringComparison.Ordinal))
                        {
                            responses.Writer.TryWrite(message);
                            continue;
                        }

                        requests.Writer.TryWrite(message);
                        await socket.SendAsync(Encoding.UTF8.GetBytes(Answer(head)));
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }

        private string Answer(string head)
        {
            var lines = head.Split("\r\n");
            string Copy(string name) => lines.First(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
            var contact = lines[0].StartsWith("REGISTER ", StringComparison.Ordinal) && lines.FirstOrDefault(l => l.StartsWith("Contact:", StringComparison.Ordinal)) is { } c
                ? $"{c};expires={grantSeconds}\r\n"
                : "";
            return "SIP/2.0 200 OK\r\n" + Copy("Via") + "\r\n" + Copy("From") + "\r\n" + Copy("To") + ";tag=upper\r\n" + Copy("Call-ID") + "\r\n" + Copy("CSeq") + "\r\n"
                + contact + "Content-Length: 0\r\n\r\n";
        }
    }

    private sealed record Message(int Connection, IPEndPoint From, string Text, DateTimeOffset At);
}
