using Command.Contracts;
using Command.Contracts.Feeds;

namespace Command.Grains.Feeds;

public sealed class FeedGrain(
    [PersistentState("feed", CommandStorage.Name)] IPersistentState<FeedState> state) : Grain, IFeedGrain
{
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
