using System.Collections.Immutable;
using System.Security.Cryptography;
using Command.Contracts;
using Command.Contracts.Cascade;
using Command.Contracts.Media;
using Command.Contracts.Sessions;
using Command.Grains.Realtime;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;

namespace Command.Grains.Cascade;

/// <summary>
/// The uplinks and who holds them. Definitions are stored with the password encrypted; which bridge holds
/// each is stored too, so a reactivated grain leaves them where they are. Bridges claim every few seconds
/// with a lease; an uplink whose bridge has not claimed within its lease (or, after activation, within
/// <see cref="Grace"/>) goes to the least-loaded bridge that claims. Status comes from the holder's reports,
/// which lapse with their lease, and every change of an uplink's view is published to the hub.
/// </summary>
public sealed partial class UplinksGrain(
    [PersistentState("uplinks", CommandStorage.Name)] IPersistentState<UplinksState> state,
    TimeProvider time,
    IDataProtectionProvider protection,
    ILogger<UplinksGrain> logger) : Grain, IUplinksGrain
{
    /// <summary>How long a reactivated grain waits for the holders it does not know yet to claim again.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    private const string Purpose = "Command.Cascade.Uplinks";
    private readonly IDataProtector protector = protection.CreateProtector(Purpose);
    private readonly Dictionary<string, (TimeSpan Lease, DateTimeOffset Seen)> claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (UplinkReport Report, DateTimeOffset Until)> reports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UplinkView> published = new(StringComparer.Ordinal);
    private DateTimeOffset activated;
    private long version;

    private Dictionary<string, UplinkRecord> Uplinks => state.State.Uplinks;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        activated = time.GetUtcNow();
        version = activated.UtcTicks;
        foreach (var record in Uplinks.Values)
        {
            published[record.Id] = View(record, ++version);
        }

        // Reports and holders lapse with time alone; the sweep publishes what that changes.
        this.RegisterGrainTimer(_ => { Publish(); return Task.CompletedTask; }, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        return Task.CompletedTask;
    }

    public async Task<UplinkView> AddAsync(UplinkRequest request)
    {
        var valid = UplinkRules.Validate(request);
        EnsureNameFree(valid.Name!, null);
        var record = new UplinkRecord
        {
            Id = ShortId.New("up"),
            Name = valid.Name!,
            Registrar = valid.Registrar!,
            Username = valid.Username!,
            ProtectedPassword = protector.Protect(valid.Password!),
            VenueIds = [.. valid.VenueIds],
        };
        Uplinks[record.Id] = record;
        await state.WriteStateAsync();
        LogDefined(record.Id, record.Name, record.Registrar, record.Username);
        Publish();
        return published[record.Id];
    }

    public async Task RemoveAsync(string id)
    {
        if (!Uplinks.TryGetValue(id, out var record))
        {
            throw CommandException.NotFound("Uplink", id);
        }

        if (record.Configured)
        {
            throw CommandException.Conflict($"Uplink '{id}' is defined in configuration (Command:Cascade:Uplinks); remove it there.");
        }

        Uplinks.Remove(id);
        await state.WriteStateAsync();
        Forget(record);
    }

    public async Task<int> ConfigureAsync(ImmutableArray<UplinkRequest> configured)
    {
        var valid = configured.Select((r, i) => Validated(r, i)).ToList();
        if (valid.GroupBy(v => v.Name!, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw CommandException.Invalid($"Command:Cascade:Uplinks names '{twice.Key}' more than once.");
        }

        var changed = 0;
        foreach (var v in valid)
        {
            var record = Uplinks.Values.FirstOrDefault(u => string.Equals(u.Name, v.Name, StringComparison.OrdinalIgnoreCase));
            if (record is not null && record.Configured && record.Registrar == v.Registrar && record.Username == v.Username && PasswordOf(record) == v.Password
                && record.VenueIds.SequenceEqual(v.VenueIds))
            {
                continue;
            }

            record ??= new UplinkRecord { Id = ShortId.New("up") };
            (record.Name, record.Registrar, record.Username, record.Configured) = (v.Name!, v.Registrar!, v.Username!, true);
            record.ProtectedPassword = protector.Protect(v.Password!);
            record.VenueIds = [.. v.VenueIds];
            Uplinks[record.Id] = record;
            changed++;
        }

        var dropped = Uplinks.Values.Where(u => u.Configured && !valid.Any(v => string.Equals(v.Name, u.Name, StringComparison.OrdinalIgnoreCase))).ToList();
        dropped.ForEach(u => Uplinks.Remove(u.Id));
        changed += dropped.Count;
        if (changed > 0)
        {
            await state.WriteStateAsync();
        }

        dropped.ForEach(Forget);
        Publish();
        return changed;
    }

    public Task<ImmutableArray<UplinkView>> ListAsync()
    {
        Publish();
        return Task.FromResult(published.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToImmutableArray());
    }

    public Task<UplinkView?> GetAsync(string id)
    {
        Publish();
        return Task.FromResult(published.GetValueOrDefault(id));
    }

    public async Task<ImmutableArray<UplinkAssignment>> TakeAsync(string bridgeId, TimeSpan lease)
    {
        var now = time.GetUtcNow();
        claims[bridgeId] = (lease, now);
        var moved = false;
        foreach (var record in Uplinks.Values.OrderBy(u => u.Id, StringComparer.Ordinal))
        {
            if (record.BridgeId == bridgeId || (record.BridgeId is { } holder && Alive(holder, now)))
            {
                continue;
            }

            var to = LeastLoaded(bridgeId, now);
            LogMoved(record.Id, record.BridgeId ?? "(none)", to);
            record.BridgeId = to;
            reports.Remove(record.Id);
            moved = true;
        }

        if (moved)
        {
            await state.WriteStateAsync();
        }

        Publish();
        var held = new List<UplinkAssignment>();
        foreach (var record in Uplinks.Values.Where(u => u.BridgeId == bridgeId))
        {
            if (PasswordOf(record) is { } password)
            {
                held.Add(new UplinkAssignment(record.Id, record.Registrar, record.Username, password));
            }
        }

        return [.. held];
    }

    public Task ReportAsync(UplinkReport report)
    {
        if (Uplinks.TryGetValue(report.UplinkId, out var record) && record.BridgeId == report.BridgeId)
        {
            reports[record.Id] = (report, time.GetUtcNow() + report.Lease);
            Publish();
        }

        return Task.CompletedTask;
    }

    public async Task<string> CalledAsync(string bridgeId, string uplinkId)
    {
        if (!Uplinks.TryGetValue(uplinkId, out var record))
        {
            throw CommandException.NotFound("Uplink", uplinkId);
        }

        var actor = $"cascade:{record.Name}";
        if (record.SessionId is { } known)
        {
            var session = GrainFactory.GetGrain<ISessionGrain>(known);
            if (await session.GetAsync() is { State: SessionPhase.Live, Kind: SessionKind.Relay })
            {
                await PlaceAsync(known, bridgeId);
                await session.RelayUplinkAsync(uplinkId, actor);
                LogRelayed(uplinkId, known, bridgeId, "rejoins");
                return known;
            }
        }

        if (record.VenueIds.Count == 0)
        {
            throw CommandException.Conflict($"Uplink '{uplinkId}' has no venues to relay the session above to, and no live relay session.");
        }

        var sessionId = ShortId.New("s");
        var relay = GrainFactory.GetGrain<ISessionGrain>(sessionId);
        await relay.CreateAsync(new CreateSessionCommand($"{record.Name} 级联转播 relay", SessionKind.Relay, record.VenueIds[0], [.. record.VenueIds.Skip(1)]), actor);
        await PlaceAsync(sessionId, bridgeId);
        await relay.RelayUplinkAsync(uplinkId, actor);
        record.SessionId = sessionId;
        await state.WriteStateAsync();
        LogRelayed(uplinkId, sessionId, bridgeId, "opens");
        return sessionId;
    }

    /// <summary>
    /// The call from above is answered by the bridge it came to, which holds the uplink's registration, so the
    /// relay session's conference must be there: a new session goes live there, a live one elsewhere moves.
    /// </summary>
    private async Task PlaceAsync(string sessionId, string bridgeId)
    {
        try
        {
            await GrainFactory.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey).PlaceAsync(sessionId, bridgeId);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // A deployment of one bridge needs no placing; with more, the call rings until the session reaches the bridge or times out.
            LogNotPlaced(e, sessionId, bridgeId);
        }
    }

    private UplinkRequest Validated(UplinkRequest request, int index)
    {
        try
        {
            return UplinkRules.Validate(request);
        }
        catch (CommandException e)
        {
            throw CommandException.Invalid($"Command:Cascade:Uplinks:{index}: {e.Message}");
        }
    }

    private void EnsureNameFree(string name, string? except)
    {
        if (Uplinks.Values.Any(u => u.Id != except && string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw CommandException.Conflict($"An uplink named '{name}' exists already.");
        }
    }

    private bool Alive(string bridgeId, DateTimeOffset now) =>
        claims.TryGetValue(bridgeId, out var claim) ? now - claim.Seen <= claim.Lease : now - activated <= Grace;

    private string LeastLoaded(string claimer, DateTimeOffset now) =>
        claims.Where(c => now - c.Value.Seen <= c.Value.Lease).Select(c => c.Key)
            .OrderBy(b => Uplinks.Values.Count(u => u.BridgeId == b))
            .ThenBy(b => b == claimer ? 0 : 1)
            .ThenBy(b => b, StringComparer.Ordinal)
            .FirstOrDefault() ?? claimer;

    private string? PasswordOf(UplinkRecord record)
    {
        try
        {
            return protector.Unprotect(record.ProtectedPassword);
        }
        catch (CryptographicException e)
        {
            LogUndecryptable(e, record.Id);
            return null;
        }
    }

    private void Forget(UplinkRecord record)
    {
        reports.Remove(record.Id);
        if (published.Remove(record.Id, out var last))
        {
            Changes.Publish(GrainFactory, CommandEvent(last with { Status = UplinkStatus.Offline, SessionId = null, Reason = "removed", BridgeId = null, Version = ++version }));
        }

        LogRemoved(record.Id, record.Name);
    }

    /// <summary>Brings every published view up to date and announces those that changed.</summary>
    private void Publish()
    {
        foreach (var record in Uplinks.Values)
        {
            var current = View(record, 0);
            if (published.TryGetValue(record.Id, out var last) && last with { Version = 0 } == current)
            {
                continue;
            }

            published[record.Id] = current with { Version = ++version };
            Changes.Publish(GrainFactory, CommandEvent(published[record.Id]));
            if (last is null || last.Status != current.Status)
            {
                LogStatus(record.Id, current.Status, current.Reason ?? "");
            }
        }
    }

    private static Contracts.Realtime.CommandEvent CommandEvent(UplinkView view) => Contracts.Realtime.CommandEvent.For(view);

    private UplinkView View(UplinkRecord record, long seq)
    {
        var now = time.GetUtcNow();
        var (status, reason, session) = reports.TryGetValue(record.Id, out var r) && r.Until > now && r.Report.BridgeId == record.BridgeId
            ? (r.Report.Status, r.Report.Status == UplinkStatus.Offline ? r.Report.Reason : null, r.Report.SessionId)
            : (UplinkStatus.Offline, record.BridgeId is null ? "waiting for a media bridge to take it" : Alive(record.BridgeId, now) ? "registering" : "its media bridge is gone; waiting for another", null);
        return new UplinkView(record.Id, record.Name, record.Registrar, status, session, record.Username, reason, record.BridgeId, record.Configured, seq)
        {
            VenueIds = [.. record.VenueIds],
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Uplink {UplinkId} ({Name}) defined: registers to {Registrar} as {Username}")]
    private partial void LogDefined(string uplinkId, string name, string registrar, string username);

    [LoggerMessage(Level = LogLevel.Information, Message = "The deployment above called uplink {UplinkId} at bridge {BridgeId}; it {How} relay session {SessionId}")]
    private partial void LogRelayed(string uplinkId, string sessionId, string bridgeId, string how);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay session {SessionId} could not be placed on bridge {BridgeId}, which its call came to")]
    private partial void LogNotPlaced(Exception e, string sessionId, string bridgeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Uplink {UplinkId} ({Name}) removed")]
    private partial void LogRemoved(string uplinkId, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Uplink {UplinkId} moves from bridge {FromBridge} to {ToBridge}")]
    private partial void LogMoved(string uplinkId, string fromBridge, string toBridge);

    [LoggerMessage(Level = LogLevel.Information, Message = "Uplink {UplinkId} is {Status} {Reason}")]
    private partial void LogStatus(string uplinkId, UplinkStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The password of uplink {UplinkId} cannot be decrypted with the cluster's keys; it is not registered")]
    private partial void LogUndecryptable(Exception e, string uplinkId);
}
