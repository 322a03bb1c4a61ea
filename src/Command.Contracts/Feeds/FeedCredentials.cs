namespace Command.Contracts.Feeds;

/// <summary>
/// What a camera asks of whoever pulls it (RTSP digest or basic auth). Travels only inside the cluster, in the
/// clear only on its way to being encrypted or to the bridge; it never prints its password.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.feed-credentials")]
public sealed record FeedCredentials(
    [property: Id(0)] string? Username,
    [property: Id(1)] string? Password)
{
    public bool IsEmpty => string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(Password);

    public override string ToString() => $"FeedCredentials {{ Username = {Username}, Password = *** }}";
}
