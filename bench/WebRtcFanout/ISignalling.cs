namespace WebRtcFanout;

/// <summary>How peers are brought into one server's fan-out: one publisher, N subscribers.</summary>
internal interface ISignalling : IDisposable
{
    Task PrepareAsync(int subscribers);

    Task ConnectPublisherAsync(BenchPeer peer);

    Task ConnectSubscriberAsync(BenchPeer peer, int index);
}
