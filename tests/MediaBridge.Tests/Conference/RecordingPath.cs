using MediaBridge.Conference;
using MediaBridge.Sdp;

namespace MediaBridge.Tests.Conference;

/// <summary>A stream path that keeps every RTP packet the room sends it, for checking what a leg was sent.</summary>
public sealed class RecordingPath : IStreamPath
{
    public List<byte[]> Sent { get; } = [];

    /// <summary>Off to count nothing the room does not allocate itself.</summary>
    public bool Recording { get; set; } = true;

    public int LocalPort => 0;

    public bool CanSendRtp => true;

    public bool CanSendRtcp => false;

    public void Negotiate(NegotiatedStream stream)
    {
    }

    public void SendRtp(ReadOnlySpan<byte> packet)
    {
        if (Recording)
        {
            Sent.Add(packet.ToArray());
        }
    }

    public void SendRtcp(ReadOnlySpan<byte> packet)
    {
    }

    public void Dispose()
    {
    }
}
