using System.Net;
using System.Net.Sockets;
using Command.Contracts.Cascade;
using MediaBridge.Sip;
using MediaBridge.Sip.Registration;
using MediaBridge.Sip.Transactions;
using MediaBridge.Sip.Transport;

namespace MediaBridge.Legs.Uplinks;

/// <summary>
/// The uplinks this bridge holds: one registration client each, registering this deployment to the
/// deployment above as one of its venues. <see cref="ApplyAsync"/> makes the clients match what the
/// cluster hands this bridge (new ones start, changed ones restart, dropped ones unregister), and each
/// change of a client's status is reported: in-call, with its relay session, while the deployment above's
/// call on the uplink is connected (see <see cref="UplinkCalls"/>), else registered or offline.
/// A registrar <c>sip:host:port;transport=tcp</c> is registered to over one TCP connection of the bridge's own
/// transport, which the deployment above also calls down (the call is answered on the connection it came on).
/// </summary>
public sealed class UplinkLegs(
    SipRegistrations registrations, SipTransactionLayer transactions, TimeProvider time, RegistrationTimings timings,
    Func<IPAddress, string> sentBy, IUplinkReports reports)
{
    private readonly Dictionary<string, UplinkAssignment> held = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim applying = new(1, 1);
    private readonly TcpSipTransport? tcp;

    public int Count => registrations.Active.Count;

    /// <summary>The bridge's TCP transport, which opens and keeps the connections to registrars over TCP.</summary>
    public TcpSipTransport? Tcp
    {
        get => tcp;
        init
        {
            tcp = value;
            if (value is not null)
            {
                value.ConnectionLost += registrations.ConnectionLost;
            }
        }
    }

    /// <summary>The ids of the uplinks held now.</summary>
    public IReadOnlyList<string> Ids => [.. registrations.Active.Select(c => c.Id)];

    /// <summary>The relay session of an uplink's connected call, or null; the status is in-call while there is one.</summary>
    public Func<string, string?>? InCall { get; set; }

    /// <summary>Whether an id is one of the uplinks held here (not a venue).</summary>
    public bool Holds(string id) => registrations.Find(id) is not null;

    /// <summary>
    /// The uplink an INVITE is for: the one registered as <paramref name="user"/> to a registrar at the
    /// address the INVITE came from (only the deployment above calls its venue's contact), or null.
    /// </summary>
    public string? Called(string user, System.Net.IPAddress from) =>
        registrations.Active.FirstOrDefault(c => c.Account.Username == user && c.Account.Remote.Address.Equals(from))?.Id;

    /// <summary>True while a removed uplink still waits for its un-REGISTER to be answered.</summary>
    public bool Leaving => registrations.Leaving;

    public async Task ApplyAsync(IReadOnlyList<UplinkAssignment> assignments)
    {
        await applying.WaitAsync();
        try
        {
            foreach (var gone in held.Keys.Where(id => !assignments.Any(a => a.Id == id)).ToList())
            {
                held.Remove(gone);
                registrations.Remove(gone);
            }

            foreach (var assignment in assignments)
            {
                if (held.TryGetValue(assignment.Id, out var current) && current == assignment)
                {
                    continue;
                }

                held[assignment.Id] = assignment;
                if (await AccountAsync(assignment) is not { } account)
                {
                    registrations.Remove(assignment.Id);
                    reports.Report(assignment.Id, UplinkStatus.Offline, $"the registrar {assignment.Registrar} cannot be resolved", null);
                    held.Remove(assignment.Id);
                    continue;
                }

                if (account.Reliable)
                {
                    tcp?.Dial(account.Remote);
                }

                var client = new SipRegistrationClient(assignment.Id, account, transactions, time, timings, sentBy);
                client.Changed += Report;
                registrations.Add(client);
                client.Tick();
            }
        }
        finally
        {
            applying.Release();
        }
    }

    /// <summary>Each held uplink's status again, so its report does not lapse.</summary>
    public void Reassert()
    {
        foreach (var client in registrations.Active)
        {
            Report(client);
        }
    }

    /// <summary>One uplink's status again, as when its call came or went.</summary>
    public void Reassert(string id)
    {
        if (registrations.Find(id) is { } client)
        {
            Report(client);
        }
    }

    public void Tick() => registrations.Tick();

    /// <summary>Unregisters every uplink, as on shutdown.</summary>
    public void StopAll()
    {
        held.Clear();
        registrations.RemoveAll();
    }

    private void Report(SipRegistrationClient client)
    {
        if (InCall?.Invoke(client.Id) is { } sessionId)
        {
            reports.Report(client.Id, UplinkStatus.InCall, null, sessionId);
            return;
        }

        reports.Report(client.Id, client.Status == RegistrationStatus.Registered ? UplinkStatus.Registered : UplinkStatus.Offline, client.Reason, null);
    }

    /// <summary>The registrar's address: the URI's host (an IP address, or a name resolved now) and port, 5060 by default; over TCP with <c>;transport=tcp</c>.</summary>
    private static async Task<RegistrationAccount?> AccountAsync(UplinkAssignment assignment)
    {
        if (!SipUri.TryParse(assignment.Registrar, out var uri) || !uri.IsSip || uri.Host.Length == 0)
        {
            return null;
        }

        var host = uri.Host.Trim('[', ']');
        IPAddress? address;
        if (!IPAddress.TryParse(host, out address))
        {
            try
            {
                address = (await Dns.GetHostAddressesAsync(host)).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault();
            }
            catch (SocketException)
            {
                address = null;
            }
        }

        return address is null
            ? null
            : new RegistrationAccount(assignment.Registrar, uri.Host, new IPEndPoint(address, uri.Port ?? 5060), assignment.Username, assignment.Password)
            {
                Reliable = string.Equals(uri.Parameter("transport"), "tcp", StringComparison.OrdinalIgnoreCase),
            };
    }
}
