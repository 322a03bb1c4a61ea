namespace Command.Contracts.Feeds;

/// <summary>Where a camera stands as the bridges see it (BRIEF §4): nobody pulls it, a pull is being set up, or media flows.</summary>
public enum FeedStatus
{
    Offline,
    Connecting,
    Online,
}
