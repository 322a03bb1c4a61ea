using MediaBridge.Conference;
using MediaBridge.WebRtc;

namespace MediaBridge.Legs.Browsers;

/// <summary>A browser leg's transport as the room sees it: the bundled WebRTC port, its packets handed to the audio or video stream.</summary>
public sealed class BrowserTransport(WebRtcTransport transport, LegStream audio, LegStream video) : ILegTransport
{
    public void Start(LegPacketHandler deliver) =>
        transport.Start(video.OutSsrc, (isVideo, packet, rtcp) => deliver(isVideo ? video : audio, packet, rtcp));

    public void Dispose() => transport.Dispose();
}
