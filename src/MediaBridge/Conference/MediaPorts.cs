using System.Net;
using System.Net.Sockets;
using MediaBridge.Rtp;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Conference;

/// <summary>
/// Hands out RTP/RTCP port pairs from a configured range: RTP on an even port and RTCP on the next
/// (RFC 3550 §11), walking the range so a freed pair is not reused at once.
/// </summary>
/// <param name="logger">Where the sockets' receive threads report failures; none by default.</param>
public sealed class MediaPorts(IPAddress address, int min, int max, ILogger<RtpSocket>? logger = null)
{
    private readonly Lock gate = new();
    private int next = min + (min % 2);

    public IPAddress Address { get; } = address;

    /// <summary>One port for a leg that bundles everything on it (RFC 8843), taken from the range like a pair.</summary>
    public RtpSocket AllocateSingle()
    {
        var (rtp, rtcp) = Allocate();
        rtcp.Dispose();
        return rtp;
    }

    public (RtpSocket Rtp, RtpSocket Rtcp) Allocate()
    {
        var pairs = Math.Max(1, (max - min + 1) / 2);
        for (var attempt = 0; attempt < pairs; attempt++)
        {
            int port;
            lock (gate)
            {
                port = next;
                next = next + 2 > max - 1 ? min + (min % 2) : next + 2;
            }

            RtpSocket? rtp = null;
            try
            {
                rtp = new RtpSocket(new IPEndPoint(Address, port), logger);
                return (rtp, new RtpSocket(new IPEndPoint(Address, port + 1), logger));
            }
            catch (SocketException)
            {
                rtp?.Dispose();
            }
        }

        throw new InvalidOperationException($"No free RTP port pair between {min} and {max}.");
    }
}
