using System.Net;
using MediaBridge.Ice;

namespace MediaBridge.Tests.Ice;

public sealed class IceSdpTests
{
    [Fact]
    public void Credentials_are_random_ice_chars_long_enough_for_rfc8445()
    {
        var first = IceCredentials.Create();
        var second = IceCredentials.Create();

        Assert.Equal(8, first.Ufrag.Length);
        Assert.True(first.Password.Length >= 22);
        Assert.True(IceCredentials.IsIceChars(first.Ufrag));
        Assert.True(IceCredentials.IsIceChars(first.Password));
        Assert.NotEqual(first, second);
        Assert.DoesNotContain(first.Password, first.ToString());
        Assert.False(IceCredentials.IsIceChars("abc:def"));
        Assert.False(IceCredentials.IsIceChars(""));
    }

    [Fact]
    public void A_host_candidate_has_the_recommended_priority()
    {
        Assert.Equal(2130706431u, IceCandidateLine.PriorityOf(IceCandidateLine.HostTypePreference, IceCandidateLine.MaxLocalPreference, 1));
    }

    [Fact]
    public void Several_addresses_get_distinct_foundations_and_falling_preferences()
    {
        var lines = IceCandidateLine.Hosts(
        [
            new IPEndPoint(IPAddress.Parse("203.0.113.5"), 40000),
            new IPEndPoint(IPAddress.Parse("10.0.0.5"), 40000),
            new IPEndPoint(IPAddress.Parse("203.0.113.5"), 40000),
            new IPEndPoint(IPAddress.Parse("2001:db8::1"), 40000),
            new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.7"), 40002),
        ]);

        Assert.Equal(
        [
            "1 1 udp 2130706431 203.0.113.5 40000 typ host",
            "2 1 udp 2130706175 10.0.0.5 40000 typ host",
            "3 1 udp 2130705919 2001:db8::1 40000 typ host",
            "4 1 udp 2130705663 192.0.2.7 40002 typ host",
        ],
        lines.Select(line => line.ToString()));
    }

    [Fact]
    public void A_scoped_ipv6_address_is_written_without_its_zone()
    {
        var scoped = IPAddress.Parse("fe80::1%3");

        var line = IceCandidateLine.Hosts([new IPEndPoint(scoped, 5000)])[0];

        Assert.Equal("1 1 udp 2130706431 fe80::1 5000 typ host", line.ToString());
    }
}
