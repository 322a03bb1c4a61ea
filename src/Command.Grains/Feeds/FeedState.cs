using Command.Contracts.Feeds;

namespace Command.Grains.Feeds;

[GenerateSerializer]
public sealed class FeedState
{
    [Id(0)] public FeedInfo? Feed { get; set; }
}
