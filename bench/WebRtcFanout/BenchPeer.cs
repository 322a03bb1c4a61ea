using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MediaBridge.Dtls;
using MediaBridge.Ice;
using MediaBridge.Sdp;
using MediaBridge.Srtp;
using MediaBridge.Stun;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace WebRtcFanout;

/// <summary>
/// A minimal browser for load: one video section, full ICE as the controlling agent towards an
/// ICE-lite server, the DTLS client, and SRTP. A publisher sends VP8-shaped packets carrying their
/// send time; a subscriber counts what it can unprotect and how long each packet took.
/// </summary>
internal sealed class BenchPeer : IDisposable
{
    public const int PayloadType = 96;
    private static readonly BcTlsCrypto Crypto = new(new SecureRandom());
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Create("bench-peer");

    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IceCredentials local = IceCredentials.Create();
    private readonly BlockingCollection<byte[]> dtlsInbox = new(256);
    private readonly uint ssrc = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
    private readonly Thread receiver;
    private volatile bool stopped;
    private volatile bool checkAnswered;
    private EndPoint remote = new IPEndPoint(IPAddress.Loopback, 0);
    private SrtpSession? inbound;
    private SrtpSession? outbound;
    private readonly byte[] stunResponse = new byte[IceLiteAgent.MaxResponseLength];
    private volatile IceLiteAgent? agent;
    private string remoteUfrag = "";
    private byte[] remotePassword = [];

    public BenchPeer()
    {
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        socket.ReceiveBufferSize = 4 << 20;
        receiver = new Thread(Receive) { IsBackground = true, Name = "peer-receive" };
        receiver.Start();
    }

    public long Received;

    private ushort sequence = 1;
    private uint timestamp;
    private int picture;

    public List<long> Latencies { get; } = new(1 << 16);

    public bool Measuring { get; set; }

    /// <summary>The address peers announce as their host candidate: loopback, or the test namespace's own address where the server will not take loopback.</summary>
    public static string Address { get; set; } = "127.0.0.1";

    /// <summary>
    /// Peers that only answer checks (a=ice-lite), for a server that is a full ICE agent (Janus);
    /// otherwise they send checks as the controlling agent, for an ICE-lite server (this bridge).
    /// </summary>
    public static bool Lite { get; set; }

    private int Port => ((IPEndPoint)socket.LocalEndPoint!).Port;

    /// <summary>An offer (or, with <paramref name="mid"/> and <paramref name="payloadType"/> from an offer, an answer) for one video section.</summary>
    public string Description(string direction, string setup, string mid = "0", int payloadType = PayloadType) =>
        string.Join("\r\n",
            "v=0", $"o=- {ssrc} 1 IN IP4 {Address}", "s=-", "t=0 0", $"a=group:BUNDLE {mid}", "a=msid-semantic: WMS bench", Lite ? "a=ice-lite" : "a=ice-options:trickle",
            $"m=video 9 UDP/TLS/RTP/SAVPF {payloadType}", $"c=IN IP4 {Address}", $"a=mid:{mid}",
            $"a=ice-ufrag:{local.Ufrag}", $"a=ice-pwd:{local.Password}", $"a=fingerprint:{Certificate.Fingerprint}", $"a=setup:{setup}",
            $"a={direction}", "a=rtcp-mux", $"a=rtpmap:{payloadType} VP8/90000", $"a=rtcp-fb:{payloadType} nack pli",
            $"a=ssrc:{ssrc} cname:bench", $"a=candidate:1 1 udp 2130706431 {Address} {Port} typ host", "a=end-of-candidates", "");

    /// <summary>ICE checks until the server answers, then the DTLS handshake, then SRTP both ways.</summary>
    public void Connect(string remoteSdp, TimeSpan timeout)
    {
        if (!SdpParser.TryParse(remoteSdp, out var sdp, out var error))
        {
            throw new InvalidOperationException($"remote SDP: {error}");
        }

        var video = sdp.Media.First(m => m.Media == "video" && m.Port != 0);
        string Value(string name) => video.Values(name).FirstOrDefault() ?? sdp.Attributes.First(a => a.Name == name).Value!;
        remoteUfrag = Value("ice-ufrag");
        remotePassword = Encoding.UTF8.GetBytes(Value("ice-pwd"));
        if (!DtlsFingerprint.TryParse(Value("fingerprint"), out var fingerprint))
        {
            throw new InvalidOperationException("remote fingerprint");
        }

        var candidate = video.Values("candidate").Concat(sdp.Attributes.Where(a => a.Name == "candidate").Select(a => a.Value!))
            .Select(c => c.Split(' ')).Where(c => c.Length > 7 && c[2].Equals("udp", StringComparison.OrdinalIgnoreCase) && c[7] == "host" && !c[4].Contains(':', StringComparison.Ordinal))
            .OrderByDescending(c => c[4] == "127.0.0.1").FirstOrDefault()
            ?? throw new InvalidOperationException($"no IPv4 UDP host candidate in:\n{remoteSdp}");
        remote = new IPEndPoint(IPAddress.Parse(candidate[4]), int.Parse(candidate[5], CultureInfo.InvariantCulture));

        agent = new IceLiteAgent(local, remoteUfrag);
        var clock = Stopwatch.StartNew();
        while (!checkAnswered)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException("no ICE connectivity");
            }

            if (!Lite)
            {
                SendCheck();
            }

            Thread.Sleep(50);
        }

        // A few more nominating checks, as a browser's regular checks would, before DTLS starts.
        for (var i = 0; i < 5; i++)
        {
            Thread.Sleep(20);
            SendCheck();
        }

        var client = new BenchDtlsClient(Crypto, Certificate, fingerprint);
        new DtlsClientProtocol().Connect(client, new Pipe(this));
        var keys = SrtpKeyMaterial.FromExporter(client.Profile == 7 ? SrtpProfile.AeadAes128Gcm : SrtpProfile.AesCm128HmacSha1_80, client.Exported!, localIsServer: false);
        inbound = new SrtpSession(keys.Profile, keys.RemoteKey, keys.RemoteSalt);
        outbound = new SrtpSession(keys.Profile, keys.LocalKey, keys.LocalSalt);
    }

    /// <summary>Keeps consent (RFC 7675) while a run lasts.</summary>
    public void SendCheck()
    {
        if (Lite)
        {
            return;
        }

        Span<byte> id = stackalloc byte[12];
        StunWriter.NewTransactionId(id);
        Span<byte> buffer = stackalloc byte[256];
        var writer = new StunWriter(buffer, StunMessageType.BindingRequest, id);
        writer.AddText(StunAttributeType.Username, $"{remoteUfrag}:{local.Ufrag}");
        writer.AddUInt32(StunAttributeType.Priority, 1853824767);
        writer.AddUInt64(StunAttributeType.IceControlling, 0x1234_5678_9ABC_DEF0);
        writer.Add(StunAttributeType.UseCandidate, []);
        writer.AddMessageIntegrity(remotePassword);
        writer.AddFingerprint();
        socket.SendTo(writer.Written, remote);
    }

    /// <summary>Sends <paramref name="rate"/> one-packet VP8 frames a second until <paramref name="stop"/>; a keyframe every 50.</summary>
    /// <summary>Sends <paramref name="rate"/> packets a second until stopped; a later call goes on from the same sequence and timestamp.</summary>
    public void Publish(int rate, CancellationToken stop)
    {
        var packet = new byte[12 + 1200 + SrtpSession.MaxRtpOverhead];
        var interval = Stopwatch.Frequency / rate;
        var next = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            if (now < next)
            {
                if (next - now > Stopwatch.Frequency / 1000)
                {
                    Thread.Sleep(1);
                }

                continue;
            }

            next += interval;
            Array.Clear(packet);
            packet[0] = 0x80;
            packet[1] = 0x80 | PayloadType;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence++);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp += 3000);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
            packet[12] = 0x90;
            packet[13] = 0x80;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), (ushort)(0x8000 | (picture++ & 0x7FFF)));
            packet[16] = (byte)(picture % 50 == 1 ? 0x10 : 0x11);
            BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(20), Stopwatch.GetTimestamp());
            if (outbound!.TryProtectRtp(packet, 12 + 1200, out var length))
            {
                socket.SendTo(packet.AsSpan(0, length), SocketFlags.None, remote);
            }
        }
    }

    public void Dispose()
    {
        stopped = true;
        socket.Dispose();
        dtlsInbox.CompleteAdding();
    }

    private void Receive()
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!stopped)
        {
            int n;
            try
            {
                n = socket.ReceiveFrom(buffer, ref from);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                continue;
            }

            var first = buffer[0];
            if (first <= 3 && agent is { } ice && StunMessage.TryReadHeader(buffer.AsSpan(0, n), out var type, out _) && type == StunMessageType.BindingRequest)
            {
                var outcome = ice.Handle(buffer.AsSpan(0, n), (IPEndPoint)from, MediaBridge.Rtp.MediaClock.NowTicks, stunResponse, out var written);
                if (outcome.HasResponse)
                {
                    socket.SendTo(stunResponse.AsSpan(0, written), SocketFlags.None, from);
                }

                if (ice.Nominated && ice.Selected is { } selected)
                {
                    remote = selected;
                    checkAnswered = true;
                }
            }
            else if (first <= 3)
            {
                checkAnswered |= StunMessage.TryParse(buffer.AsSpan(0, n), out var message) && message.Type == StunMessageType.BindingSuccessResponse;
            }
            else if (first is >= 20 and <= 63)
            {
                dtlsInbox.TryAdd(buffer.AsSpan(0, n).ToArray());
            }
            else if (first is >= 128 and <= 191 && inbound is { } srtp && n > 1 && buffer[1] is not (>= 192 and <= 223)
                && srtp.UnprotectRtp(buffer.AsSpan(0, n), out var length) == SrtpResult.Ok && length >= 28)
            {
                Interlocked.Increment(ref Received);
                if (Measuring)
                {
                    Latencies.Add(Stopwatch.GetTimestamp() - BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(20)));
                }
            }
        }
    }

    private sealed class Pipe(BenchPeer peer) : DatagramTransport
    {
        public int GetReceiveLimit() => 1500;

        public int GetSendLimit() => 1200;

        public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

        public int Receive(Span<byte> buffer, int waitMillis)
        {
            if (!peer.dtlsInbox.TryTake(out var record, waitMillis))
            {
                return -1;
            }

            record.CopyTo(buffer);
            return record.Length;
        }

        public void Send(byte[] buf, int off, int len) => peer.socket.SendTo(buf, off, len, SocketFlags.None, peer.remote);

        public void Send(ReadOnlySpan<byte> buffer) => peer.socket.SendTo(buffer, SocketFlags.None, peer.remote);

        public void Close()
        {
        }
    }
}
