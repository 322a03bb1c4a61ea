using Command.Contracts;
using Command.Contracts.Feeds;

namespace Command.Grains.Feeds;

public sealed class FeedGrain(
    [PersistentState("feed", CommandStorage.Name)] IPersistentState<FeedState> state, TimeProvider time) : Grain, IFeedGrain
{
    private readonly Dictionary<string, (FeedMediaReport Report, DateTimeOffset Until)> media = new(StringComparer.Ordinal);

    public Task ReportMediaAsync(FeedMediaReport report)
    {
        media[report.BridgeId] = (report, time.GetUtcNow() + report.Lease);
        return Task.CompletedTask;
    }

    public Task<FeedMediaReport?> GetMediaAsync()
    {
        var now = time.GetUtcNow();
        return Task.FromResult(media.Values.Where(m => m.Until > now).OrderByDescending(m => m.Report.Status).Select(m => (FeedMediaReport?)m.Report).FirstOrDefault());
    }

    public async Task DefineAsync(FeedInfo feed)
    {
        if (feed.Id != this.GetPrimaryKeyString())
        {
            throw CommandException.Invalid($"Feed '{feed.Id}' sent to grain '{this.GetPrimaryKeyString()}'.");
        }

        FeedRules.Validate(feed.Name, feed.Url, feed.Owner);
        if (state.State.Feed == feed)
        {
            return;
        }

        state.State.Feed = feed;
        await state.WriteStateAsync();
    }

    public Task<FeedInfo?> GetAsync() => Task.FromResult(state.State.Feed);
}
