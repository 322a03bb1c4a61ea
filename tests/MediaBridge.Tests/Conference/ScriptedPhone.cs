using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaBridge.Audio;
using MediaBridge.Sdp;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;
using MediaBridge.Tests.Rtp;

namespace MediaBridge.Tests.Conference;

/// <summary>
/// A venue terminal written out by hand on loopback sockets: it registers with digest, answers the
/// bridge's INVITE (or dials in), sends a G.711 tone and a VP8 picture of two packets per frame whose
/// payload carries <see cref="Tag"/>, sends a keyframe whenever asked (PLI or FIR), and records every
/// RTP packet it receives.
/// </summary>
public sealed class ScriptedPhone : IAsyncDisposable
{
    private readonly Socket sip = Bind();
    private readonly Socket audio = Bind();
    private readonly Socket video = Bind();
    private readonly CancellationTokenSource stopping = new();
    private readonly string domain;
    private readonly EndPoint bridge;
    private readonly List<Task> loops = [];
    private readonly uint audioSsrc = (uint)Random.Shared.Next();
    private readonly uint videoSsrc = (uint)Random.Shared.Next();
    private readonly ConcurrentQueue<SipMessage> sipIn = new();
    private IPEndPoint? audioRemote;
    private IPEndPoint? videoRemote;
    private byte audioPt;
    private byte videoPt;
    private int keyframeWanted = 1;
    private int cseq;

    public ScriptedPhone(string user, string password, byte tag, EndPoint bridge, string domain = "127.0.0.1", double toneHz = 0)
    {
        User = user;
        Password = password;
        Tag = tag;
        ToneHz = toneHz;
        this.bridge = bridge;
        this.domain = domain;
        loops.Add(Task.Run(SipLoopAsync));
        loops.Add(Task.Run(() => MediaLoopAsync(audio, Audio)));
        loops.Add(Task.Run(() => MediaLoopAsync(video, Video)));
        loops.Add(Task.Run(SendLoopAsync));
    }

    public string User { get; }

    /// <summary>Where the phone's SIP socket is, as a registrar would see its source address.</summary>
    public IPEndPoint SipEndPoint => (IPEndPoint)sip.LocalEndPoint!;

    public string Password { get; }

    public byte Tag { get; }

    public double ToneHz { get; }

    public bool InCall { get; private set; }

    /// <summary>The video codec the phone answers the bridge's offer with, and sends: VP8, or H264 (IDR or non-IDR slices as single NAL units).</summary>
    public string AnswerVideo { get; init; } = "VP8";

    public string? DialogCallId { get; private set; }

    public int KeyframeRequests;

    public ConcurrentQueue<Received> Audio { get; } = new();

    public ConcurrentQueue<Received> Video { get; } = new();

    public ConcurrentQueue<SipMessage> Requests { get; } = new();

    /// <summary>The Call-ID of its registrations; a phone that rebooted registers under a new one (RFC 3261 §10.2.4).</summary>
    public string? RegistrationCallId { get; init; }

    public async Task<SipResponse> RegisterAsync()
    {
        var challenge = await TransactAsync("REGISTER", $"sip:{domain}", null, null, RegistrationCallId);
        return await TransactAsync("REGISTER", $"sip:{domain}", Authorize("REGISTER", $"sip:{domain}", challenge), null, RegistrationCallId);
    }

    /// <summary>Dials <c>sip:{target}@domain</c> with an offer (or none), answers the digest challenge and ACKs a 2xx.</summary>
    public async Task<SipResponse> DialAsync(string target, string? offer = null)
    {
        var uri = $"sip:{target}@{domain}";
        var callId = $"dial-{Guid.NewGuid():N}";
        offer ??= Offer();
        var first = await TransactAsync("INVITE", uri, null, offer, callId);
        var final = first.StatusCode == 401 ? await TransactAsync("INVITE", uri, Authorize("INVITE", uri, first), offer, callId) : first;
        if (final.StatusCode == 200)
        {
            TakeMedia(final.Body, answerIsOurs: false);
            DialogCallId = callId;
            var to = final.Headers[HeaderNames.To]!;
            var ack = $"ACK {uri} SIP/2.0\r\nVia: SIP/2.0/UDP {sip.LocalEndPoint};branch=z9hG4bK{Guid.NewGuid():N};rport\r\nMax-Forwards: 70\r\n" +
                      $"From: <sip:{User}@{domain}>;tag=me{User}\r\nTo: {to}\r\nCall-ID: {callId}\r\nCSeq: {cseq} ACK\r\nContent-Length: 0\r\n\r\n";
            sip.SendTo(Encoding.ASCII.GetBytes(ack), bridge);
            remoteTag = NameAddress.TryParse(to, out var parsed) ? parsed.Tag : null;
            InCall = true;
        }

        return final;
    }

    public async Task<SipResponse> HangUpAsync()
    {
        var response = await TransactAsync("BYE", $"sip:bridge@{domain}", null, null, DialogCallId, toTag: remoteTag);
        InCall = false;
        return response;
    }

    public async Task<SipResponse> SendRawAsync(string request)
    {
        sip.SendTo(Encoding.UTF8.GetBytes(request.Replace("{me}", sip.LocalEndPoint!.ToString(), StringComparison.Ordinal)), bridge);
        return await NextResponseAsync(r => r.StatusCode >= 200);
    }

    /// <summary>An offer of PCMU and VP8 on this phone's ports.</summary>
    public string Offer(string videoCodec = "VP8/90000") =>
        $"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        $"m=audio {Port(audio)} RTP/AVP 0\r\na=rtcp-mux\r\na=sendrecv\r\n" +
        $"m=video {Port(video)} RTP/AVP 97\r\na=rtpmap:97 {videoCodec}\r\na=rtcp-mux\r\na=sendrecv\r\n";

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        sip.Dispose();
        audio.Dispose();
        video.Dispose();
        await Task.WhenAll(loops).ContinueWith(_ => { }, TaskScheduler.Default);
        stopping.Dispose();
    }

    private string? remoteTag;

    private static Socket Bind()
    {
        // Room for a camera's cached pictures, which a switch sends in one burst, on a busy machine.
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return s;
    }

    private static int Port(Socket s) => ((IPEndPoint)s.LocalEndPoint!).Port;

    /// <summary>Answers the SHA-256 challenge when offered, else the MD5 one (venues marked for older terminals get only MD5).</summary>
    private string Authorize(string method, string uri, SipResponse challenge)
    {
        var challenges = challenge.Headers.Values(HeaderNames.WwwAuthenticate).ToList();
        var sha256 = challenges.Any(c => c.Contains("SHA-256", StringComparison.Ordinal));
        var text = sha256 ? challenges.First(c => c.Contains("SHA-256", StringComparison.Ordinal)) : challenges[0];
        var (algorithm, name) = sha256 ? (DigestAlgorithm.Sha256, "SHA-256") : (DigestAlgorithm.Md5, "MD5");
        var start = text.IndexOf("nonce=\"", StringComparison.Ordinal) + 7;
        var nonce = text[start..text.IndexOf('"', start)];
        var response = DigestAuthenticator.ExpectedResponse(algorithm, method, User, domain, Password, nonce, uri, "00000001", "c0ffee", "auth");
        return $"Digest username=\"{User}\", realm=\"{domain}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\", algorithm={name}, cnonce=\"c0ffee\", qop=auth, nc=00000001";
    }

    private async Task<SipResponse> TransactAsync(string method, string uri, string? authorization, string? body, string? callId = null, string? toTag = null)
    {
        var n = ++cseq;
        var to = method == "REGISTER" ? $"<sip:{User}@{domain}>" : $"<{uri}>";
        var request = new StringBuilder()
            .Append($"{method} {uri} SIP/2.0\r\n")
            .Append($"Via: SIP/2.0/UDP {sip.LocalEndPoint};branch=z9hG4bK{Guid.NewGuid():N};rport\r\n")
            .Append("Max-Forwards: 70\r\n")
            .Append($"From: <sip:{User}@{domain}>;tag=me{User}\r\n")
            .Append(toTag is null ? $"To: {to}\r\n" : $"To: {to};tag={toTag}\r\n")
            .Append($"Call-ID: {callId ?? $"reg-{User}"}\r\n")
            .Append($"CSeq: {n} {method}\r\n")
            .Append($"Contact: <sip:{User}@{sip.LocalEndPoint}>\r\n")
            .Append(authorization is null ? "" : $"Authorization: {authorization}\r\n")
            .Append(body is null ? "" : "Content-Type: application/sdp\r\n")
            .Append($"Content-Length: {Encoding.UTF8.GetByteCount(body ?? "")}\r\n\r\n")
            .Append(body ?? "");
        sip.SendTo(Encoding.UTF8.GetBytes(request.ToString()), bridge);
        return await NextResponseAsync(r => r.StatusCode >= 200 && r.Headers[HeaderNames.CSeq]!.StartsWith($"{n} ", StringComparison.Ordinal));
    }

    private async Task<SipResponse> NextResponseAsync(Func<SipResponse, bool> wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            while (sipIn.TryDequeue(out var m))
            {
                if (m is SipResponse r && wanted(r))
                {
                    return r;
                }
            }

            await Task.Delay(5, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("No final response from the bridge");
    }

    private async Task SipLoopAsync()
    {
        var buffer = new byte[65535];
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var got = await sip.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stopping.Token);
                if (!SipParser.TryParse(buffer.AsSpan(0, got.ReceivedBytes), true, out var message, out _))
                {
                    continue;
                }

                if (message is SipRequest request)
                {
                    Requests.Enqueue(request);
                    Answer(request, Encoding.UTF8.GetString(buffer, 0, got.ReceivedBytes), got.RemoteEndPoint);
                }
                else
                {
                    sipIn.Enqueue(message);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }

    /// <summary>Answers as a softphone in auto-answer: 200 with an SDP answer to INVITE, 200 to BYE and OPTIONS.</summary>
    private void Answer(SipRequest request, string wire, EndPoint from)
    {
        if (request.Method == "ACK")
        {
            InCall = true;
            return;
        }

        string? body = null;
        if (request.Method == "INVITE")
        {
            TakeMedia(request.Body, answerIsOurs: true);
            DialogCallId = request.CallId;
            body = $"v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
                   $"m=audio {Port(audio)} RTP/AVP {audioPt}\r\na=rtcp-mux\r\na=sendrecv\r\n" +
                   $"m=video {Port(video)} RTP/AVP {videoPt}\r\na=rtpmap:{videoPt} {AnswerVideo}/90000\r\n" +
                   (AnswerVideo == "H264" ? $"a=fmtp:{videoPt} packetization-mode=1\r\n" : "") + "a=rtcp-mux\r\na=sendrecv\r\n";
        }
        else if (request.Method == "BYE")
        {
            InCall = false;
        }

        var head = wire[..wire.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n");
        var copied = head.Where(l => l.StartsWith("Via:", StringComparison.OrdinalIgnoreCase) || l.StartsWith("From:", StringComparison.OrdinalIgnoreCase)
            || l.StartsWith("Call-ID:", StringComparison.OrdinalIgnoreCase) || l.StartsWith("CSeq:", StringComparison.OrdinalIgnoreCase));
        var to = head.First(l => l.StartsWith("To:", StringComparison.OrdinalIgnoreCase));
        var response = new StringBuilder("SIP/2.0 200 OK\r\n");
        foreach (var line in copied)
        {
            response.Append(line).Append("\r\n");
        }

        response.Append(to.Contains("tag=", StringComparison.Ordinal) ? to : $"{to};tag=phone{User}").Append("\r\n")
            .Append($"Contact: <sip:{User}@{sip.LocalEndPoint}>\r\n")
            .Append(body is null ? "" : "Content-Type: application/sdp\r\n")
            .Append($"Content-Length: {Encoding.UTF8.GetByteCount(body ?? "")}\r\n\r\n").Append(body ?? "");
        sip.SendTo(Encoding.UTF8.GetBytes(response.ToString()), from);
    }

    private void TakeMedia(ReadOnlyMemory<byte> sdp, bool answerIsOurs)
    {
        Assert.True(SdpParser.TryParse(Encoding.UTF8.GetString(sdp.Span), out var d, out var error), error);
        foreach (var m in d.Media.Where(m => m.Port != 0))
        {
            var endPoint = new IPEndPoint(IPAddress.Parse(d.ConnectionFor(m)!.Address), m.Port);
            var codecs = m.Codecs();
            if (m.Media == "audio")
            {
                audioRemote = endPoint;
                audioPt = (byte)(answerIsOurs ? codecs.First(c => c.Is("PCMU")).PayloadType : codecs[0].PayloadType);
            }
            else
            {
                videoRemote = endPoint;
                videoPt = (byte)(answerIsOurs ? codecs.First(c => c.Is(AnswerVideo)).PayloadType : codecs[0].PayloadType);
            }
        }
    }

    private async Task MediaLoopAsync(Socket socket, ConcurrentQueue<Received> into)
    {
        var buffer = new byte[2048];
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var got = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stopping.Token);
                var packet = buffer.AsSpan(0, got.ReceivedBytes);
                if (packet.Length >= 8 && packet[1] is >= 192 and <= 223)
                {
                    if (packet[1] == 206)
                    {
                        Interlocked.Increment(ref KeyframeRequests);
                        keyframeWanted = 1;
                    }

                    continue;
                }

                into.Enqueue(new Received(DateTime.UtcNow, packet.ToArray()));
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }

    /// <summary>20 ms of tone per audio packet; a two-packet VP8 frame every 60 ms, a keyframe when one was asked for.</summary>
    private async Task SendLoopAsync()
    {
        ushort audioSeq = 0, videoSeq = 0;
        uint audioTs = 0, videoTs = 0;
        var tick = 0;
        var pcm = new short[160];
        var payload = new byte[160];
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                if (!InCall)
                {
                    continue;
                }

                if (audioRemote is { } a)
                {
                    for (var i = 0; i < pcm.Length; i++)
                    {
                        pcm[i] = ToneHz == 0 ? (short)0 : (short)(8000 * Math.Sin(2 * Math.PI * ToneHz * (audioTs + i) / 8000));
                    }

                    G711.Encode(PayloadKind.Pcmu, pcm, payload);
                    audio.SendTo(Packets.Rtp(audioSsrc, audioSeq++, audioTs, false, audioPt, payload), a);
                    audioTs += 160;
                }

                if (videoRemote is { } v && tick++ % 3 == 0)
                {
                    var key = Interlocked.Exchange(ref keyframeWanted, 0) == 1;
                    if (AnswerVideo == "H264")
                    {
                        var nal = (byte)(key ? 0x65 : 0x41);
                        video.SendTo(Packets.Rtp(videoSsrc, videoSeq++, videoTs, false, videoPt, nal, 0x88, Tag, 1), v);
                        video.SendTo(Packets.Rtp(videoSsrc, videoSeq++, videoTs, true, videoPt, nal, 0x88, Tag, 2), v);
                        videoTs += 5400;
                        continue;
                    }

                    video.SendTo(Packets.Rtp(videoSsrc, videoSeq++, videoTs, false, videoPt, 0x10, (byte)(key ? 0x00 : 0x01), Tag, 1), v);
                    video.SendTo(Packets.Rtp(videoSsrc, videoSeq++, videoTs, true, videoPt, 0x00, Tag, 2), v);
                    videoTs += 5400;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public sealed record Received(DateTime At, byte[] Packet);
}
