namespace Command.Contracts.Media;

/// <summary>What a watch shows: a camera feed, or what one venue of a live session sends.</summary>
[GenerateSerializer, Alias("command.watch-kind")]
public enum WatchKind
{
    Feed,
    Venue,
}
