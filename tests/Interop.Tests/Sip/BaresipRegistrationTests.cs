using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Registrar;
using MediaBridge.Sip.Transactions;
using MediaBridge.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Interop.Tests.Sip;

/// <summary>baresip registers with the bridge's registrar using digest credentials, over UDP on loopback.</summary>
public sealed class BaresipRegistrationTests : IAsyncLifetime
{
    private const string Password = "fs-2101-Sample!";
    private readonly Presence presence = new();
    private readonly CountingSender sender = new();
    private UdpSipTransport transport = null!;

    public async ValueTask InitializeAsync()
    {
        // baresip 1.0 (libre) stops at a SHA-256 challenge instead of taking the MD5 one, so this
        // terminal is configured as an older one: MD5 only.
        var digest = new DigestAuthenticator(
            "127.0.0.1",
            new NonceIssuer(new byte[32], TimeProvider.System, TimeSpan.FromMinutes(5)),
            u => u == "2101" ? Password : null,
            _ => [DigestAlgorithm.Md5]);
        var core = new SipCore(new SipRegistrar(digest, TimeProvider.System, presence));
        transport = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        sender.Inner = transport;
        var layer = new SipTransactionLayer(sender, core, TimeProvider.System);
        core.Transactions = layer;
        transport.Start(layer, TimeSpan.FromMilliseconds(20));
        await Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await transport.DisposeAsync();

    [Fact]
    public async Task Baresip_registers_with_the_topology_password_and_the_venue_goes_online()
    {
        using var baresip = Baresip.Start($"<sip:2101@127.0.0.1:{transport.LocalEndPoint.Port}>;auth_pass={Password};regint=600");

        var online = await WaitAsync(() => presence.Events.Contains("online 2101"), TimeSpan.FromSeconds(15));

        Assert.True(online, $"baresip did not register; statuses sent {string.Join(",", sender.Statuses)}\n{baresip.Output}");
        Assert.Contains(401, sender.Statuses);
        Assert.Contains(200, sender.Statuses);
    }

    [Fact]
    public async Task Baresip_with_a_wrong_password_is_refused_and_the_venue_stays_offline()
    {
        using var baresip = Baresip.Start($"<sip:2101@127.0.0.1:{transport.LocalEndPoint.Port}>;auth_pass=not-the-password;regint=600");

        var tried = await WaitAsync(() => sender.Statuses.Count(s => s == 401) >= 2, TimeSpan.FromSeconds(15));
        await Task.Delay(1000, TestContext.Current.CancellationToken);

        Assert.True(tried, $"baresip never answered the challenge\n{baresip.Output}");
        Assert.DoesNotContain(200, sender.Statuses);
        Assert.Empty(presence.Events);
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return condition();
    }

    private sealed class Presence : IPresenceSink
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public void Registered(SipBinding binding) => Events.Enqueue($"online {binding.User}");

        public void Unregistered(string user, string reason) => Events.Enqueue($"offline {user}");
    }

    private sealed class CountingSender : ISipSender
    {
        private readonly ConcurrentQueue<int> statuses = new();

        public ISipSender Inner { get; set; } = null!;

        public IReadOnlyCollection<int> Statuses => statuses;

        public void Send(ReadOnlyMemory<byte> message, IPEndPoint remote, bool reliable)
        {
            if (SipParser.TryParse(message.Span, true, out var parsed, out _) && parsed is SipResponse response)
            {
                statuses.Enqueue(response.StatusCode);
            }

            Inner.Send(message, remote, reliable);
        }
    }
}
