using System.Collections.Concurrent;
using System.Collections.Immutable;
using Command.Contracts.Realtime;
using Command.Contracts.Recordings;

namespace Command.Grains.Tests.Recordings;

/// <summary>A web host as the grains see it, keeping the recordings pushed to it: what pages would be sent.</summary>
internal sealed class PushedRecordings : ICommandObserver, IAsyncDisposable
{
    private readonly IGrainFactory grains;
    private readonly string hostId = $"test-host-{Guid.NewGuid():N}";

    private PushedRecordings(IGrainFactory grains) => this.grains = grains;

    public ConcurrentQueue<RecordingInfo> Recordings { get; } = new();

    public static async Task<PushedRecordings> RegisterAsync(IGrainFactory grains)
    {
        var host = new PushedRecordings(grains);
        await Hubs(grains).RegisterAsync(host.hostId, grains.CreateObjectReference<ICommandObserver>(host));
        return host;
    }

    public Task OnEventsAsync(ImmutableArray<CommandEvent> events)
    {
        foreach (var e in events)
        {
            if (e.Recording is { } recording)
            {
                Recordings.Enqueue(recording);
            }
        }

        return Task.CompletedTask;
    }

    public ImmutableArray<RecordingInfo> Of(string recordingId) => [.. Recordings.Where(r => r.Id == recordingId)];

    public async ValueTask DisposeAsync() => await Hubs(grains).UnregisterAsync(hostId);

    private static IRealtimeHubsGrain Hubs(IGrainFactory grains) => grains.GetGrain<IRealtimeHubsGrain>(0);
}
