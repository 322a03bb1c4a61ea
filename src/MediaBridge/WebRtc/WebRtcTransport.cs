using System.Net;
using MediaBridge.Dtls;
using MediaBridge.Ice;
using MediaBridge.Rtcp;
using MediaBridge.Rtp;
using MediaBridge.Srtp;

namespace MediaBridge.WebRtc;

/// <summary>
/// A browser leg's one port, carrying STUN, DTLS and SRTP together and told apart by their first
/// byte (RFC 7983 §7): 0–3 STUN, 20–63 DTLS, 128–191 RTP and RTCP. ICE-lite answers the browser's
/// checks and picks where media goes; DTLS runs only with addresses that passed a check (RFC 8445
/// §7.3 makes a validated pair the only place for media); SRTP keys come from the handshake. Video
/// packets the browser reports lost (generic NACK) are resent from a cache of what was sent.
/// </summary>
public sealed class WebRtcTransport : IDisposable
{
    private readonly RtpSocket socket;
    private readonly IceLiteAgent ice;
    private readonly DtlsSrtpEndpoint dtls;
    private readonly bool[] audioTypes = new bool[128];
    private readonly byte[] received = new byte[RtpSocket.MaxPacket];
    private readonly byte[] sending = new byte[RtpSocket.MaxPacket + SrtpSession.MaxRtcpOverhead];
    private readonly byte[] stunResponse = new byte[IceLiteAgent.MaxResponseLength];
    private readonly Lock sendGate = new();
    private readonly Lock stunGate = new();
    private readonly RetransmitCache videoSent = new();
    private volatile SocketAddress? remote;
    private volatile SrtpSession? inbound;
    private volatile SrtpSession? outbound;
    private uint videoSsrc;
    private BundlePacketHandler? deliver;

    public WebRtcTransport(RtpSocket socket, IceCredentials local, string remoteUfrag, DtlsCertificate certificate, DtlsFingerprint remoteFingerprint)
    {
        this.socket = socket;
        ice = new IceLiteAgent(local, remoteUfrag);
        dtls = new DtlsSrtpEndpoint(certificate, remoteFingerprint, SendRaw);
        dtls.Connected += OnKeys;
        dtls.Closed += reason => Closed?.Invoke(reason);
    }

    /// <summary>Raised once the DTLS handshake has given SRTP keys: media can flow both ways.</summary>
    public event Action? Connected;

    /// <summary>Raised when DTLS fails or the browser closes it.</summary>
    public event Action<string>? Closed;

    private static long rejectedTotal;

    public int LocalPort => socket.LocalEndPoint.Port;

    public bool Secured => outbound is not null && remote is not null;

    public long Unprotected { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>Packets refused by every transport of this process, for the metrics; counted on the failure path only.</summary>
    public static long RejectedTotal => Interlocked.Read(ref rejectedTotal);

    public long Retransmitted { get; private set; }

    /// <summary>Whether the browser stopped confirming it still wants media (RFC 7675 §5.1).</summary>
    public bool ConsentExpired(long nowTicks)
    {
        lock (stunGate)
        {
            return ice.ConsentExpired(nowTicks);
        }
    }

    /// <summary>Which payload types are audio: the bundled sections are told apart by payload type, unique across them (RFC 8843 §9.1).</summary>
    public void AudioPayloadTypes(IEnumerable<int> audioPayloadTypes)
    {
        foreach (var pt in audioPayloadTypes.Where(p => p is >= 0 and < 128))
        {
            audioTypes[pt] = true;
        }
    }

    /// <summary>
    /// Starts receiving: plain packets go to <paramref name="deliver"/> on the receive thread, and the
    /// browser's NACKs for <paramref name="sentVideoSsrc"/> are answered from what was sent.
    /// </summary>
    public void Start(uint sentVideoSsrc, BundlePacketHandler deliver)
    {
        videoSsrc = sentVideoSsrc;
        this.deliver = deliver;
        socket.Start(OnDatagram);
    }

    public void SendRtp(ReadOnlySpan<byte> packet, bool video) => Send(packet, rtcp: false, video);

    public void SendRtcp(ReadOnlySpan<byte> packet) => Send(packet, rtcp: true, video: false);

    public void Dispose()
    {
        dtls.Dispose();
        socket.Dispose();
        inbound?.Dispose();
        outbound?.Dispose();
    }

    private void OnDatagram(ReadOnlySpan<byte> packet, SocketAddress from)
    {
        if (packet.IsEmpty)
        {
            return;
        }

        var first = packet[0];
        if (first <= 3)
        {
            OnStun(packet, from);
        }
        else if (first is >= 20 and <= 63)
        {
            if (remote is { } r && r.Equals(from))
            {
                dtls.Receive(packet);
            }
        }
        else if (first is >= 128 and <= 191)
        {
            OnSrtp(packet, from);
        }
    }

    private void OnStun(ReadOnlySpan<byte> packet, SocketAddress from)
    {
        var endPoint = (IPEndPoint)socket.LocalEndPoint.Create(from);
        lock (stunGate)
        {
            var outcome = ice.Handle(packet, endPoint, MediaClock.NowTicks, stunResponse, out var length);
            if (outcome.HasResponse && length > 0)
            {
                socket.Send(stunResponse.AsSpan(0, length), from);
            }

            if (ice.Selected is { } selected && (remote is null || outcome.SelectionChanged))
            {
                remote = selected.Serialize();
            }
        }
    }

    private void OnSrtp(ReadOnlySpan<byte> packet, SocketAddress from)
    {
        if (inbound is not { } srtp || remote is not { } r || !r.Equals(from) || deliver is not { } handler)
        {
            return;
        }

        var buffer = received.AsSpan(0, packet.Length);
        packet.CopyTo(buffer);
        var rtcp = packet.Length > 1 && packet[1] is >= 192 and <= 223;
        var result = rtcp ? srtp.UnprotectRtcp(buffer, out var length) : srtp.UnprotectRtp(buffer, out length);
        if (result != SrtpResult.Ok)
        {
            Rejected++;
            Interlocked.Increment(ref rejectedTotal);
            return;
        }

        Unprotected++;
        var plain = buffer[..length];
        if (rtcp)
        {
            Span<ushort> lost = stackalloc ushort[64];
            var nacked = RtcpNack.Read(plain, videoSsrc, lost);
            if (nacked > 0)
            {
                Resend(lost[..nacked]);
            }

            // A compound packet may speak of both media; each stream reads the parts about its own SSRC.
            handler(video: true, plain, rtcp: true);
            handler(video: false, plain, rtcp: true);
        }
        else
        {
            handler(video: !audioTypes[plain[1] & 0x7F], plain, rtcp: false);
        }
    }

    private void Resend(ReadOnlySpan<ushort> sequences)
    {
        lock (sendGate)
        {
            foreach (var sequence in sequences)
            {
                if (remote is { } to && videoSent.TryGet(sequence, out var packet))
                {
                    socket.Send(packet, to);
                    Retransmitted++;
                }
            }
        }
    }

    private void Send(ReadOnlySpan<byte> packet, bool rtcp, bool video)
    {
        lock (sendGate)
        {
            if (outbound is not { } srtp || remote is not { } to || packet.Length > RtpSocket.MaxPacket)
            {
                return;
            }

            packet.CopyTo(sending);
            var ok = rtcp
                ? srtp.TryProtectRtcp(sending, packet.Length, out var length)
                : srtp.TryProtectRtp(sending, packet.Length, out length);
            if (ok)
            {
                socket.Send(sending.AsSpan(0, length), to);
                if (video)
                {
                    videoSent.Keep((ushort)((packet[2] << 8) | packet[3]), sending.AsSpan(0, length));
                }
            }
        }
    }

    private void SendRaw(ReadOnlySpan<byte> datagram)
    {
        if (remote is { } to)
        {
            socket.Send(datagram, to);
        }
    }

    private void OnKeys(SrtpKeyMaterial keys)
    {
        inbound = new SrtpSession(keys.Profile, keys.RemoteKey, keys.RemoteSalt);
        outbound = new SrtpSession(keys.Profile, keys.LocalKey, keys.LocalSalt);
        Connected?.Invoke();
    }
}
