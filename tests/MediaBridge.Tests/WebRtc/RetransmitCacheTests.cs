using MediaBridge.WebRtc;

namespace MediaBridge.Tests.WebRtc;

public sealed class RetransmitCacheTests
{
    [Fact]
    public void The_last_packets_are_held_by_sequence_number_and_older_ones_give_way()
    {
        var cache = new RetransmitCache(capacity: 4);
        for (var s = 65534; s < 65534 + 6; s++)
        {
            cache.Keep((ushort)s, [(byte)s, 1, 2]);
        }

        Assert.True(cache.TryGet(3, out var packet));
        Assert.Equal([3, 1, 2], packet.ToArray());
        Assert.True(cache.TryGet(0, out _));
        Assert.False(cache.TryGet(65535, out _));
        Assert.False(cache.TryGet(4, out _));
    }
}
