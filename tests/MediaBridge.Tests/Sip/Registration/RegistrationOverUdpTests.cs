using System.Diagnostics;
using System.Net;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Registrar;
using MediaBridge.Sip.Registration;
using MediaBridge.Sip.Transactions;
using MediaBridge.Sip.Transport;
using MediaBridge.Tests.Sip.Registrar;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaBridge.Tests.Sip.Registration;

/// <summary>
/// One bridge's registration client against another bridge's registrar, each with its own UDP socket,
/// SIP core and transactions on loopback, as two deployments of a cascade are linked.
/// </summary>
public sealed class RegistrationOverUdpTests : IAsyncLifetime
{
    private static readonly RegistrationTimings Timings = new(TimeSpan.FromSeconds(3600), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    private readonly SipRegistrations registrations = new();
    private readonly CancellationTokenSource ending = new();
    private LoopbackBridge upper = null!;
    private UdpSipTransport lowerUdp = null!;
    private SipTransactionLayer lower = null!;

    public ValueTask InitializeAsync()
    {
        upper = LoopbackBridge.Start();
        var digest = new DigestAuthenticator("lower", new NonceIssuer(new byte[32], TimeProvider.System, TimeSpan.FromMinutes(5)), _ => null);
        var core = new SipCore(new SipRegistrar(digest, TimeProvider.System, new PresenceRecorder())) { Registrations = registrations };
        lowerUdp = new UdpSipTransport(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        lower = new SipTransactionLayer(lowerUdp, core, TimeProvider.System);
        core.Transactions = lower;
        lowerUdp.Start(lower, TimeSpan.FromMilliseconds(5));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await ending.CancelAsync();
        await lowerUdp.DisposeAsync();
        await upper.DisposeAsync();
    }

    [Fact]
    public async Task The_client_registers_with_the_registrar_keeps_it_alive_and_unregisters_when_removed()
    {
        var client = Client(LoopbackBridge.Password);

        await WaitAsync(() => client.Status == RegistrationStatus.Registered);
        var binding = Assert.Single(upper.Registrar.BindingsOf("2101"));
        Assert.Equal($"sip:2101@{lowerUdp.LocalEndPoint}", binding.Contact);
        Assert.Equal(["online 2101"], upper.Presence.Events);

        upper.KeepAlive(TimeSpan.FromSeconds(1));
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        Assert.Single(upper.Registrar.BindingsOf("2101"));
        Assert.Equal(RegistrationStatus.Registered, client.Status);

        registrations.Remove(client.Id);
        await WaitAsync(() => client.Finished);
        Assert.Empty(upper.Registrar.BindingsOf("2101"));
        Assert.Equal(["online 2101", "offline 2101 (unregistered)"], upper.Presence.Events);
    }

    [Fact]
    public async Task A_wrong_password_stays_offline_with_a_reason_and_the_venue_never_goes_online()
    {
        var client = Client("not-the-password");

        await WaitAsync(() => client.Reason?.Contains("refused", StringComparison.Ordinal) == true);
        Assert.Equal(RegistrationStatus.Offline, client.Status);
        Assert.Empty(upper.Presence.Events);
    }

    [Fact]
    public async Task A_registrar_that_goes_away_turns_the_client_offline_and_one_that_comes_back_is_registered_with_again()
    {
        var client = Client(LoopbackBridge.Password);
        await WaitAsync(() => client.Status == RegistrationStatus.Registered);
        var port = upper.Udp.LocalEndPoint.Port;

        await upper.DisposeAsync();
        await WaitAsync(() => client.Status == RegistrationStatus.Offline);
        Assert.Equal("the registrar did not answer a keep-alive", client.Reason);

        upper = LoopbackBridge.Start(port: port);
        await WaitAsync(() => client.Status == RegistrationStatus.Registered);
        Assert.Single(upper.Registrar.BindingsOf("2101"));
    }

    private SipRegistrationClient Client(string password)
    {
        var registrar = upper.Udp.LocalEndPoint;
        var client = new SipRegistrationClient(
            Guid.NewGuid().ToString("N"), new RegistrationAccount($"sip:{registrar}", "127.0.0.1", registrar, "2101", password),
            lower, TimeProvider.System, Timings, _ => lowerUdp.LocalEndPoint.ToString());
        registrations.Add(client);
        _ = Task.Run(async () =>
        {
            while (!client.Finished && !ending.IsCancellationRequested)
            {
                registrations.Tick();
                await Task.Delay(20, CancellationToken.None);
            }
        });
        return client;
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "the condition was not met within 15 s");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
