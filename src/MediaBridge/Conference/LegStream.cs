using System.Security.Cryptography;
using MediaBridge.Rtp;
using MediaBridge.Sdp;

namespace MediaBridge.Conference;

/// <summary>
/// One medium (audio or video) of one leg: what was negotiated, what arrives from the peer and what
/// is sent to it. How packets travel is the <see cref="Path"/>'s business.
/// </summary>
public sealed class LegStream(IStreamPath path, int clockRate)
{
    public IStreamPath Path { get; } = path;

    public NegotiatedStream? Negotiated { get; private set; }

    public ReceptionStats Reception { get; } = new(clockRate);

    /// <summary>The SSRC the bridge sends this leg with; one per medium, whatever the source.</summary>
    public uint OutSsrc { get; } = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));

    public long PacketsOut { get; set; }

    public long BytesOut { get; set; }

    public uint LastTimestampOut { get; set; }

    public long LastPacketTicks { get; private set; }

    public long Malformed { get; set; }

    public long? RemoteLost { get; set; }

    public uint? RemoteJitter { get; set; }

    /// <summary>The bitrate this peer may send on this stream, told it by REMB; null for peers that did not ask for REMB.</summary>
    public long? AllowedBitrate { get; init; }

    public bool CanSend => Negotiated is { PeerReceives: true } && Path.CanSendRtp;

    public void Negotiate(NegotiatedStream stream)
    {
        Negotiated = stream;
        Path.Negotiate(stream);
    }

    /// <summary>Notes that media arrived, for the silence check.</summary>
    public void Touch(long nowTicks) => LastPacketTicks = nowTicks;
}
