using System.Threading.Channels;
using Command.Contracts.Cascade;
using MediaBridge.Legs.Uplinks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaBridge.Control;

/// <summary>
/// Links this bridge's uplinks to the cluster: every claim period it claims its uplinks from the uplinks
/// grain (which hands an uplink whose bridge went silent to another) and applies them, then repeats each
/// held uplink's status; a status change is delivered at once, in order, naming this bridge.
/// </summary>
public sealed partial class GrainUplinks(IGrainFactory grains, IOptions<UplinkOptions> options, ILogger<GrainUplinks> logger) : IUplinkReports, IRelaySessions
{
    private readonly Channel<UplinkReport> queue = Channel.CreateBounded<UplinkReport>(new BoundedChannelOptions(1000)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    /// <summary>This bridge's name in the cluster, set before any uplink is held.</summary>
    public string BridgeId { get; set; } = "";

    public void Report(string uplinkId, UplinkStatus status, string? reason, string? sessionId)
    {
        LogReport(uplinkId, status, reason ?? "");
        queue.Writer.TryWrite(new UplinkReport(BridgeId, uplinkId, status, reason, sessionId, options.Value.Lease));
    }

    public Task<string> CalledAsync(string uplinkId) =>
        grains.GetGrain<IUplinksGrain>(IUplinksGrain.DefaultKey).CalledAsync(BridgeId, uplinkId).WaitAsync(options.Value.Lease * 2);

    public Task SendUpAsync(string uplinkId, string sessionId, string? venueId) =>
        grains.GetGrain<Command.Contracts.Sessions.ISessionGrain>(sessionId).SendUpAsync(uplinkId, venueId, $"cascade:{uplinkId}").WaitAsync(options.Value.Lease * 2);

    public Task RunAsync(UplinkLegs uplinks, CancellationToken cancel) => Task.WhenAll(ClaimAsync(uplinks, cancel), DeliverAsync(cancel));

    private async Task ClaimAsync(UplinkLegs uplinks, CancellationToken cancel)
    {
        var grain = grains.GetGrain<IUplinksGrain>(IUplinksGrain.DefaultKey);
        using var beat = new PeriodicTimer(options.Value.Claim);
        try
        {
            do
            {
                try
                {
                    var held = await grain.TakeAsync(BridgeId, options.Value.Lease).WaitAsync(options.Value.Lease, cancel);
                    await uplinks.ApplyAsync(held);
                    uplinks.Reassert();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogClaimFailed(e);
                }
            }
            while (await beat.WaitForNextTickAsync(cancel));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DeliverAsync(CancellationToken cancel)
    {
        var grain = grains.GetGrain<IUplinksGrain>(IUplinksGrain.DefaultKey);
        try
        {
            await foreach (var report in queue.Reader.ReadAllAsync(cancel))
            {
                try
                {
                    await grain.ReportAsync(report);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogDeliveryFailed(e, report.UplinkId);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Uplink {UplinkId} {Status} {Reason}")]
    private partial void LogReport(string uplinkId, UplinkStatus status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming this bridge's uplinks from the cluster failed; retrying")]
    private partial void LogClaimFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A report on uplink {UplinkId} could not reach the cluster")]
    private partial void LogDeliveryFailed(Exception e, string uplinkId);
}
