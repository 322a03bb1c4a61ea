using System.Security.Cryptography;
using System.Text;
using MediaBridge.Rtsp;

namespace MediaBridge.Tests.Rtsp;

/// <summary>RTSP messages as cameras write them, interleaved frames between them, and replies cut or garbled.</summary>
public sealed class RtspWireTests
{
    private const string Challenge =
        "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: Digest realm=\"IP Camera(C6832)\", nonce=\"a1b2c3d4e5f60718\", stale=\"FALSE\"\r\n" +
        "WWW-Authenticate: Basic realm=\"IP Camera(C6832)\"\r\nDate:  Mon, Mar 04 2024 08:15:02 GMT\r\n\r\n";

    private const string Sdp =
        "v=0\r\no=- 1709540102520935 1709540102520935 IN IP4 192.168.1.64\r\ns=Media Presentation\r\ne=NONE\r\nb=AS:5100\r\nt=0 0\r\n" +
        "a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast\r\n" +
        "m=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\nb=AS:5000\r\na=recvonly\r\na=x-dimensions:1920,1080\r\n" +
        "a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast\r\n" +
        "a=rtpmap:96 H264/90000\r\na=fmtp:96 profile-level-id=420029; packetization-mode=1; sprop-parameter-sets=Z00AKp2oHgCJ+WbgICAoAAADAAgAAAMAyEA=,aO48gA==\r\n" +
        "m=audio 0 RTP/AVP 8\r\nc=IN IP4 0.0.0.0\r\nb=AS:50\r\na=recvonly\r\n" +
        "a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=2?transportmode=unicast\r\na=rtpmap:8 PCMA/8000\r\n";

    [Fact]
    public void A_response_then_interleaved_frames_then_a_request_are_read_in_order_and_a_cut_message_waits_for_more()
    {
        var describe = $"RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Type: application/sdp\r\nContent-Base: rtsp://192.168.1.64:554/Streaming/Channels/101/\r\nContent-Length: {Encoding.UTF8.GetByteCount(Sdp)}\r\n\r\n{Sdp}";
        byte[] frame = [(byte)'$', 0, 0, 14, 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0x65, 0x88];
        var wire = Encoding.UTF8.GetBytes(describe).Concat(frame)
            .Concat(Encoding.UTF8.GetBytes("GET_PARAMETER rtsp://192.168.1.64/ RTSP/1.0\r\nCSeq: 1\r\nSession: 1234\r\n\r\n")).ToArray();

        Assert.Equal(RtspItemKind.Response, RtspReader.Read(wire, out var used, out _, out var response, out _));
        Assert.Equal((200, 3), (response!.Status, response.CSeq));
        Assert.Equal(Sdp, Encoding.UTF8.GetString(response.Body));
        Assert.Equal(RtspItemKind.Frame, RtspReader.Read(wire.AsSpan(used), out var next, out var read, out _, out _));
        Assert.Equal((0, 14), (read.Channel, read.Payload.Length));
        Assert.Equal(RtspItemKind.Request, RtspReader.Read(wire.AsSpan(used + next), out _, out _, out _, out var request));
        Assert.Equal("GET_PARAMETER", request!.Method);

        for (var cut = 1; cut < used; cut += 7)
        {
            Assert.Equal(RtspItemKind.NeedMore, RtspReader.Read(wire.AsSpan(0, cut), out _, out _, out _, out _));
        }

        Assert.Equal(RtspItemKind.NeedMore, RtspReader.Read(frame.AsSpan(0, 10), out _, out _, out _, out _));
    }

    [Fact]
    public void Junk_before_a_response_is_skipped_until_the_response()
    {
        var wire = Encoding.UTF8.GetBytes("\0\0\x01garbage line\r\nRTSP/1.0 200 OK\r\nCSeq: 9\r\n\r\n");
        var at = 0;
        RtspItemKind kind;
        RtspResponse? response;
        do
        {
            kind = RtspReader.Read(wire.AsSpan(at), out var used, out _, out response, out _);
            at += used;
        }
        while (kind == RtspItemKind.Skipped);

        Assert.Equal(RtspItemKind.Response, kind);
        Assert.Equal(9, response!.CSeq);
    }

    [Fact]
    public void A_camera_description_gives_resolved_tracks_and_the_sps_and_pps()
    {
        Assert.True(RtspDescription.TryRead(Sdp, "rtsp://192.168.1.64:554/Streaming/Channels/101/", out var description, out var error), error);

        var video = description.Video!;
        Assert.Equal(("H264", 90000, 96), (video.Codec, video.ClockRate, video.PayloadType));
        Assert.Equal("rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast", video.Control);
        Assert.Equal([7, 8], video.ParameterSets.Select(s => s[0] & 0x1F));
        Assert.Equal(("PCMA", 8000), (description.Tracks[1].Codec, description.Tracks[1].ClockRate));
        Assert.Equal("rtsp://cam/live/trackID=0", RtspDescription.Resolve("rtsp://cam/live", "trackID=0"));
        Assert.Equal("rtsp://cam/live/trackID=0", RtspDescription.Resolve("rtsp://cam/live/", "trackID=0"));
    }

    [Fact]
    public void Digest_is_preferred_to_basic_and_answers_with_the_challenge_nonce()
    {
        Assert.Equal(RtspItemKind.Response, RtspReader.Read(Encoding.UTF8.GetBytes(Challenge), out _, out _, out var response, out _));
        var auth = new RtspAuthenticator("admin", "12345");
        Assert.Null(auth.Authorization("DESCRIBE", "rtsp://192.168.1.64/"));

        Assert.True(auth.Take(response!.Headers.Values("WWW-Authenticate")));
        var value = auth.Authorization("DESCRIBE", "rtsp://192.168.1.64:554/Streaming/Channels/101")!;

        var ha1 = Md5("admin:IP Camera(C6832):12345");
        var ha2 = Md5("DESCRIBE:rtsp://192.168.1.64:554/Streaming/Channels/101");
        Assert.StartsWith("Digest username=\"admin\", realm=\"IP Camera(C6832)\", nonce=\"a1b2c3d4e5f60718\"", value, StringComparison.Ordinal);
        Assert.Contains($"response=\"{Md5($"{ha1}:a1b2c3d4e5f60718:{ha2}")}\"", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_with_qop_auth_counts_its_nonce_uses_and_basic_is_the_fallback()
    {
        var auth = new RtspAuthenticator("Mufasa", "Circle Of Life");
        Assert.True(auth.Take(["Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""]));
        auth.Authorization("OPTIONS", "rtsp://h/");
        var value = auth.Authorization("PLAY", "rtsp://h/s")!;
        var cnonce = value.Split("cnonce=\"")[1].Split('"')[0];
        var expected = Md5($"{Md5("Mufasa:testrealm@host.com:Circle Of Life")}:dcd98b7102dd2f0e8b11d0f600bfb0c093:00000002:{cnonce}:auth:{Md5("PLAY:rtsp://h/s")}");
        Assert.Contains($"response=\"{expected}\"", value, StringComparison.Ordinal);
        Assert.Contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", value, StringComparison.Ordinal);

        var basic = new RtspAuthenticator("admin", "pw");
        Assert.True(basic.Take(["Basic realm=\"cam\""]));
        Assert.Equal("Basic YWRtaW46cHc=", basic.Authorization("DESCRIBE", "rtsp://h/"));
        Assert.False(new RtspAuthenticator("a", "b").Take(["Negotiate abc"]));
    }

    internal static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    internal static byte[] Mutate(Random random, byte[] seed)
    {
        var data = seed[..random.Next(0, seed.Length + 1)];
        for (var i = random.Next(0, 8); i > 0 && data.Length > 0; i--)
        {
            data[random.Next(data.Length)] = (byte)random.Next(256);
        }

        return data;
    }

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
}
