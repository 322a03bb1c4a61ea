namespace MediaBridge.Conference;

/// <summary>A SIP leg's transport: audio and video each on their own port pair.</summary>
public sealed class UdpLegTransport(LegStream audio, UdpPairPath audioPath, LegStream video, UdpPairPath videoPath) : ILegTransport
{
    public void Start(LegPacketHandler deliver)
    {
        audioPath.Start(audio, deliver);
        videoPath.Start(video, deliver);
    }

    public void Dispose()
    {
        audioPath.Dispose();
        videoPath.Dispose();
    }
}
