using System.Net;
using System.Net.Sockets;
using MediaBridge.Conference;

namespace MediaBridge.Legs.Recorders;

/// <summary>
/// The loopback RTP/RTCP port pairs a part's ffmpeg listens on. They come from the bridge's own media range,
/// whose allocator walks on so a pair it let go is not handed out again for a whole round, and which lies
/// outside the system's ephemeral range: a pair found free there and released for ffmpeg to bind cannot be
/// taken meanwhile by another process's socket, as one from the ephemeral range could (ffmpeg then exits
/// at once with "bind failed" and the part writes nothing).
/// </summary>
public static class RecorderPorts
{
    private const int Attempts = 16;

    /// <summary>The even port of a pair free on loopback too, other than <paramref name="exclude"/>.</summary>
    public static int Pair(MediaPorts ports, int exclude = -1)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            int port;
            var (rtp, rtcp) = ports.Allocate();
            using (rtp)
            using (rtcp)
            {
                port = rtp.LocalEndPoint.Port;
            }

            if (port != exclude && FreeOnLoopback(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No free port pair in the media range for the recorder.");
    }

    /// <summary>Whether the pair binds on loopback, which the media range's own check does not cover when the bridge listens on one address only.</summary>
    private static bool FreeOnLoopback(int port)
    {
        try
        {
            using var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            using var rtcp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            rtp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            rtcp.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
