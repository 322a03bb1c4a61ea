using System.Net;
using MediaBridge.Sip.Registrar;
using MediaBridge.Tests.Sip.Registrar;

namespace MediaBridge.Tests.Conference;

/// <summary>
/// How the bridge reaches venue terminals outside a REGISTER of its own: keep-alives from the address
/// calls use, calls ended when a keep-alive finds the terminal gone, and terminals another bridge registered.
/// </summary>
public sealed class TerminalReachTests
{
    [Fact]
    public async Task A_keep_alive_from_a_bridge_bound_to_every_interface_names_the_routed_address_never_0_0_0_0()
    {
        await using var bridge = LoopbackConference.Start(IPAddress.Any);
        using var terminal = new TestTerminal(LoopbackConference.Domain);
        Assert.Equal(200, (await terminal.RegisterAsync(bridge.LoopbackSipEndPoint, LoopbackConference.PasswordFor("2101"))).StatusCode);

        bridge.KeepAlive(TimeSpan.FromSeconds(2));
        var wire = await terminal.ReceiveTextAsync(TimeSpan.FromSeconds(2));

        Assert.StartsWith("OPTIONS sip:2101@", wire, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0.0.0", wire, StringComparison.Ordinal);
        Assert.Contains($"\r\nVia: SIP/2.0/UDP 127.0.0.1:{bridge.LoopbackSipEndPoint.Port};branch=z9hG4bK", wire, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_terminal_whose_keep_alive_goes_unanswered_has_its_call_dropped_and_is_called_again_when_it_registers()
    {
        await using var bridge = LoopbackConference.Start();
        var gone = bridge.Phone(1);
        Assert.Equal(200, (await gone.RegisterAsync()).StatusCode);
        bridge.Planner.Apply(LoopbackConference.Plan("s1", 1, new Dictionary<string, string?> { ["v1"] = null }));
        await bridge.WaitForAsync(() => gone.InCall, "the call to v1");

        await gone.DisposeAsync();
        bridge.KeepAlive(TimeSpan.FromSeconds(1));

        await bridge.WaitForAsync(() => bridge.Events.Contains("s1 v1 dropped (the terminal stopped answering keep-alives)"), "the call dropped", seconds: 3);
        Assert.Empty(bridge.Registrar.BindingsOf("2101"));
        Assert.Equal(0, bridge.Planner.ActiveLegs);

        await using var back = bridge.Phone(1);
        Assert.Equal(200, (await back.RegisterAsync()).StatusCode);
        await bridge.WaitForAsync(() => back.InCall, "the call to v1 once it registered again", seconds: 5);
    }

    [Fact]
    public async Task A_venue_registered_only_at_another_bridge_is_called_at_the_address_it_registered_from()
    {
        await using var bridge = LoopbackConference.Start();
        await using var phone = bridge.Phone(2);
        var elsewhere = new SipBinding("2102", $"sip:2102@{phone.SipEndPoint}", phone.SipEndPoint, DateTimeOffset.UtcNow.AddMinutes(10), "reg-2102", 1, TakenBy: "other-bridge");
        bridge.Registrar.SetForeign([elsewhere, elsewhere with { User = "2103", Reliable = true }]);

        bridge.Planner.Apply(LoopbackConference.Plan("s1", 1, new Dictionary<string, string?> { ["v2"] = null, ["v3"] = null }));

        await bridge.WaitForAsync(() => phone.InCall, "the call to v2 at its binding with the other bridge");
        Assert.Empty(bridge.Registrar.BindingsOf("2102"));
        Assert.Contains("s1 v3 failed (the venue's terminal is not registered)", bridge.Events);
    }

    [Fact]
    public async Task A_terminal_that_registers_again_after_a_reboot_has_its_dead_call_ended_and_is_called_again_at_once()
    {
        await using var bridge = LoopbackConference.Start();
        var before = bridge.Phone(1);
        Assert.Equal(200, (await before.RegisterAsync()).StatusCode);
        bridge.Planner.Apply(LoopbackConference.Plan("s1", 1, new Dictionary<string, string?> { ["v1"] = null }));
        await bridge.WaitForAsync(() => before.InCall, "the call to v1");

        // A refresh under the same Call-ID is the same boot: the call stays.
        Assert.Equal(200, (await before.RegisterAsync()).StatusCode);
        await before.DisposeAsync();
        Assert.DoesNotContain(bridge.Events, e => e.StartsWith("s1 v1 dropped", StringComparison.Ordinal));

        await using var rebooted = new ScriptedPhone("2101", LoopbackConference.PasswordFor("2101"), 1, bridge.SipEndPoint, LoopbackConference.Domain)
        {
            RegistrationCallId = $"reg-2101-{Guid.NewGuid():N}",
        };
        Assert.Equal(200, (await rebooted.RegisterAsync()).StatusCode);

        await bridge.WaitForAsync(() => rebooted.InCall, "the call to v1 on the rebooted terminal", seconds: 5);
        Assert.Contains("s1 v1 dropped (the terminal restarted)", bridge.Events);
        Assert.DoesNotContain(bridge.Events, e => e.Contains("no media from the terminal", StringComparison.Ordinal));
        Assert.NotEmpty(bridge.Registrar.BindingsOf("2101"));
    }
}
