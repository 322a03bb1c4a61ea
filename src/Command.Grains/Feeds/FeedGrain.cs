using System.Text.Json;
using Command.Contracts;
using Command.Contracts.Feeds;
using Command.Contracts.Media;
using Microsoft.AspNetCore.DataProtection;

namespace Command.Grains.Feeds;

public sealed class FeedGrain(
    [PersistentState("feed", CommandStorage.Name)] IPersistentState<FeedState> state,
    TimeProvider time,
    IDataProtectionProvider protection) : Grain, IFeedGrain
{
    private const string Purpose = "Command.Feeds.Credentials";
    private readonly Dictionary<string, (FeedMediaReport Report, DateTimeOffset Until)> media = new(StringComparer.Ordinal);
    private readonly IDataProtector protector = protection.CreateProtector(Purpose);

    public Task ReportMediaAsync(FeedMediaReport report)
    {
        media[report.BridgeId] = (report, time.GetUtcNow() + report.Lease);
        return Task.CompletedTask;
    }

    public Task<FeedMediaReport?> GetMediaAsync() => Task.FromResult(CurrentMedia());

    public Task DefineAsync(FeedInfo feed) => DefineAsync(feed, null);

    public async Task DefineAsync(FeedInfo feed, FeedCredentials? credentials)
    {
        if (feed.Id != this.GetPrimaryKeyString())
        {
            throw CommandException.Invalid($"Feed '{feed.Id}' sent to grain '{this.GetPrimaryKeyString()}'.");
        }

        FeedRules.Validate(feed.Name, feed.Url, feed.Owner);
        FeedRules.ValidateCredentials(credentials);
        var wanted = credentials is null || credentials.IsEmpty ? null : credentials;
        if (state.State.Feed == feed && Unprotect(state.State.ProtectedCredentials) == wanted)
        {
            return;
        }

        state.State.Feed = feed;
        state.State.ProtectedCredentials = wanted is null ? null : protector.Protect(JsonSerializer.Serialize(wanted));
        await state.WriteStateAsync();
    }

    public Task<FeedInfo?> GetAsync() => Task.FromResult(state.State.Feed);

    public Task<FeedView?> GetViewAsync()
    {
        if (state.State.Feed is not { } f)
        {
            return Task.FromResult<FeedView?>(null);
        }

        var m = CurrentMedia();
        return Task.FromResult<FeedView?>(new FeedView(
            f.Id, f.Name, f.Url, f.Owner, f.RegionCode, state.State.ProtectedCredentials is not null,
            m?.Status ?? FeedStatus.Offline, m?.Codec, m?.Width, m?.Height, m?.Fps, m?.BitrateKbps, m?.TranscodedFrom));
    }

    public Task<PlanFeed?> GetPlanFeedAsync()
    {
        if (state.State.Feed is not { } f)
        {
            return Task.FromResult<PlanFeed?>(null);
        }

        var c = Unprotect(state.State.ProtectedCredentials);
        return Task.FromResult<PlanFeed?>(new PlanFeed(f.Id, f.Url, c?.Username, c?.Password));
    }

    private FeedMediaReport? CurrentMedia()
    {
        var now = time.GetUtcNow();
        return media.Values.Where(m => m.Until > now).OrderByDescending(m => m.Report.Status).Select(m => (FeedMediaReport?)m.Report).FirstOrDefault();
    }

    private FeedCredentials? Unprotect(string? ciphertext) =>
        ciphertext is null ? null : JsonSerializer.Deserialize<FeedCredentials>(protector.Unprotect(ciphertext));
}
