using System.Net;
using Command.Contracts.Cascade;
using MediaBridge.Legs.Uplinks;
using MediaBridge.Sip;
using MediaBridge.Sip.Registration;
using MediaBridge.Sip.Transactions;
using MediaBridge.Tests.Sip.Auth;
using MediaBridge.Tests.Sip.Transactions;

namespace MediaBridge.Tests.Legs.Uplinks;

/// <summary>The bridge's uplinks follow what the cluster hands it: new ones register, dropped ones unregister, and each status change is reported.</summary>
public sealed class UplinkLegsTests
{
    private static readonly RegistrationTimings Timings = new(TimeSpan.FromSeconds(3600), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(30));
    private readonly ManualTime time = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
    private readonly RecordingSender wire;
    private readonly SipRegistrations registrations = new();
    private readonly SipTransactionLayer layer;
    private readonly Reports reports = new();
    private readonly UplinkLegs uplinks;

    public UplinkLegsTests()
    {
        wire = new RecordingSender(time);
        var core = new RegistrationsOnly(registrations);
        layer = new SipTransactionLayer(wire, core, time);
        uplinks = new UplinkLegs(registrations, layer, time, Timings, _ => "127.0.0.1:5062", reports);
    }

    [Fact]
    public async Task A_new_uplink_registers_at_once_an_unchanged_one_is_left_alone_and_a_dropped_one_unregisters()
    {
        var up = new UplinkAssignment("up-1", "sip:127.0.0.1:5060", "2000", "pw");

        await uplinks.ApplyAsync([up]);
        await uplinks.ApplyAsync([up]);

        var register = Assert.Single(Registers);
        Assert.Equal(("sip:127.0.0.1:5060", "3600"), (register.RequestUri, register.Headers[HeaderNames.Expires]));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5060), wire.Sent[0].Remote);
        Respond(register, 200);
        Assert.Equal("up-1 Registered", reports.Seen.Last());

        await uplinks.ApplyAsync([]);

        Assert.Equal("0", Registers.Last().Headers[HeaderNames.Expires]);
        Assert.Equal("up-1 Offline removed", reports.Seen.Last());
        Assert.True(uplinks.Leaving);
        Respond(Registers.Last(), 200);
        Assert.False(uplinks.Leaving);
    }

    [Fact]
    public async Task The_default_port_is_5060_and_a_registrar_that_cannot_be_resolved_is_reported_offline()
    {
        await uplinks.ApplyAsync([new UplinkAssignment("up-2", "sip:127.0.0.2", "2000", "pw"), new UplinkAssignment("up-3", "sip:no-such-host.invalid", "2000", "pw")]);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 5060), Assert.Single(wire.Sent).Remote);
        Assert.Contains("up-3 Offline the registrar sip:no-such-host.invalid cannot be resolved", reports.Seen);
        Assert.Equal(1, uplinks.Count);
    }

    [Fact]
    public async Task Each_held_uplink_is_reported_again_so_its_report_does_not_lapse()
    {
        await uplinks.ApplyAsync([new UplinkAssignment("up-4", "sip:127.0.0.1:5060", "2000", "pw")]);
        reports.Seen.Clear();

        uplinks.Reassert();

        Assert.Equal(["up-4 Offline registering"], reports.Seen);
    }

    private List<SipRequest> Registers => [.. wire.Sent.Select(s => s.Message).OfType<SipRequest>().Where(r => r.Method == "REGISTER")];

    private void Respond(SipRequest request, int status) =>
        layer.Receive(SipWriter.Write(SipResponses.For(request, status)), new IPEndPoint(IPAddress.Loopback, 5060), reliable: false);

    private sealed class Reports : IUplinkReports
    {
        public List<string> Seen { get; } = [];

        public void Report(string uplinkId, UplinkStatus status, string? reason, string? sessionId) =>
            Seen.Add($"{uplinkId} {status} {reason}".Trim());
    }

    private sealed class RegistrationsOnly(SipRegistrations registrations) : ISipTransactionUser
    {
        public void OnRequest(ServerTransaction transaction)
        {
        }

        public void OnAck(AdmittedRequest ack, IPEndPoint remote)
        {
        }

        public void OnResponse(ClientTransaction transaction, SipResponse response) => registrations.OnResponse(transaction, response);

        public void OnTimeout(object transaction)
        {
            if (transaction is ClientTransaction client)
            {
                registrations.OnTimeout(client);
            }
        }
    }
}
