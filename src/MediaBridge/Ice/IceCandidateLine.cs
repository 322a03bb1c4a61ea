using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MediaBridge.Ice;

/// <summary>
/// A host candidate as the value of an SDP candidate attribute (RFC 8839 §5.1): what follows
/// "a=candidate:", starting with the foundation. The attribute name is the SDP writer's to add.
/// The bridge offers only host candidates: its own addresses and any public ones configured for a
/// 1:1 NAT in front of it.
/// </summary>
public sealed record IceCandidateLine(string Foundation, int Component, uint Priority, IPAddress Address, int Port)
{
    public const int HostTypePreference = 126;
    public const int MaxLocalPreference = 65535;

    /// <summary>The recommended formula of RFC 8445 §5.1.2.1.</summary>
    public static uint PriorityOf(int typePreference, int localPreference, int component) =>
        ((uint)typePreference << 24) + ((uint)localPreference << 8) + (uint)(256 - component);

    /// <summary>
    /// One candidate per distinct address, in order of preference. Local preferences must differ
    /// between candidates of one type (RFC 8445 §5.1.2.1), and candidates on different addresses
    /// need different foundations (§5.1.1.3), so both follow the position.
    /// </summary>
    public static IReadOnlyList<IceCandidateLine> Hosts(IEnumerable<IPEndPoint> addresses, int component = 1)
    {
        var lines = new List<IceCandidateLine>();
        foreach (var endPoint in addresses.Distinct())
        {
            var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
            {
                address = new IPAddress(address.GetAddressBytes());
            }

            var index = lines.Count;
            lines.Add(new IceCandidateLine(
                (index + 1).ToString(CultureInfo.InvariantCulture),
                component,
                PriorityOf(HostTypePreference, MaxLocalPreference - index, component),
                address,
                endPoint.Port));
        }

        return lines;
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"{Foundation} {Component} udp {Priority} {Address} {Port} typ host");
}
