using System.Collections.Concurrent;
using MediaBridge.Sip;
using MediaBridge.Sip.Registrar;

namespace MediaBridge.Tests.Sip.Registrar;

/// <summary>Bindings go to the store as they change, and a bridge started later restores them, reports them and pings them.</summary>
public sealed class DurableBindingTests
{
    [Fact]
    public async Task A_binding_is_saved_with_its_details_and_a_restarted_bridge_restores_and_pings_it_without_a_new_register()
    {
        var store = new RecordingStore();
        using var terminal = new TestTerminal(LoopbackBridge.Domain);
        var before = DateTimeOffset.UtcNow;
        await using (var first = LoopbackBridge.Start(store: store))
        {
            Assert.Equal(200, (await terminal.RegisterAsync(first.Udp.LocalEndPoint, LoopbackBridge.Password)).StatusCode);
        }

        var saved = Assert.Single(store.Held.Values);
        Assert.Equal("2101", saved.User);
        Assert.Equal($"sip:2101@{terminal.LocalEndPoint}", saved.Contact);
        Assert.Equal(terminal.LocalEndPoint, saved.Source);
        Assert.Equal("registration-2101@terminal", saved.CallId);
        Assert.Equal(2u, saved.CSeq);
        Assert.InRange(saved.Expires, before.AddSeconds(599), before.AddSeconds(601));
        Assert.False(saved.Reliable);

        await using var second = LoopbackBridge.Start(store: store);
        Assert.Equal(1, second.Registrar.Restore(store.Held.Values, adopt: false));
        Assert.Equal(0, second.Registrar.Restore(store.Held.Values, adopt: false));
        Assert.Equal(["online 2101"], second.Presence.Events);

        second.KeepAlive(TimeSpan.FromSeconds(1));
        var ping = Assert.IsType<SipRequest>(await terminal.ReceiveAsync(TimeSpan.FromSeconds(2)));
        Assert.Equal("OPTIONS", ping.Method);
        terminal.SendTo(SipWriter.Write(SipResponses.For(ping, 200)), second.Udp.LocalEndPoint);
        await Task.Delay(1300, TestContext.Current.CancellationToken);
        Assert.Single(second.Registrar.BindingsOf("2101"));
    }

    [Fact]
    public async Task Unregistering_and_expired_bindings_leave_the_store_and_adopted_ones_are_saved_again()
    {
        var store = new RecordingStore();
        using var terminal = new TestTerminal(LoopbackBridge.Domain);
        await using var bridge = LoopbackBridge.Start(store: store);
        Assert.Equal(200, (await terminal.RegisterAsync(bridge.Udp.LocalEndPoint, LoopbackBridge.Password)).StatusCode);
        Assert.Single(store.Held);

        var challenge = await terminal.RoundTripAsync(terminal.Register(null, expires: 0), bridge.Udp.LocalEndPoint);
        var done = await terminal.RoundTripAsync(terminal.Register(terminal.Authorization(challenge.Headers[HeaderNames.WwwAuthenticate]!, LoopbackBridge.Password, MediaBridge.Sip.Auth.DigestAlgorithm.Sha256), expires: 0), bridge.Udp.LocalEndPoint);
        Assert.Equal(200, done.StatusCode);
        Assert.Empty(store.Held);

        var orphan = new SipBinding("2101", "sip:2101@127.0.0.1:9", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9), DateTimeOffset.UtcNow.AddMinutes(5), "c", 1, TakenBy: "gone-bridge");
        var expired = orphan with { Contact = "sip:2101@127.0.0.1:10", Expires = DateTimeOffset.UtcNow.AddSeconds(-1) };
        Assert.Equal(1, bridge.Registrar.Restore([orphan, expired], adopt: true));
        Assert.Equal(["sip:2101@127.0.0.1:9"], store.Held.Keys);
    }

    private sealed class RecordingStore : IBindingStore
    {
        public ConcurrentDictionary<string, SipBinding> Held { get; } = new();

        public void Save(SipBinding binding) => Held[binding.Contact] = binding;

        public void Remove(SipBinding binding) => Held.TryRemove(binding.Contact, out _);
    }
}
