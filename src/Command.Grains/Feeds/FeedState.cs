using Command.Contracts.Feeds;

namespace Command.Grains.Feeds;

[GenerateSerializer]
public sealed class FeedState
{
    [Id(0)] public FeedInfo? Feed { get; set; }

    /// <summary>The camera's credentials as Data Protection ciphertext; never the clear text.</summary>
    [Id(1)] public string? ProtectedCredentials { get; set; }
}
