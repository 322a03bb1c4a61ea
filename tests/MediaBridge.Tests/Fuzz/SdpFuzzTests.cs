using System.Text;
using System.Text.Json;
using CsCheck;
using MediaBridge.Rtsp;
using MediaBridge.Sdp;
using MediaBridge.Tests.Sdp;

namespace MediaBridge.Tests.Fuzz;

/// <summary>Properties of the SDP parser and writer, and of what reads a parsed offer.</summary>
public sealed class SdpFuzzTests
{
    private const string BrowserOffer =
        "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=msid-semantic: WMS\r\n"
        + "m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:8hhY\r\na=ice-pwd:asd88fgpdd777uzjYhagZg\r\n"
        + "a=fingerprint:sha-256 D1:2C:BE:AD:C4:F6:64:5C:25:16:11:9C:AF:E7:0F:73:79:36:4E:9C:1E:15:54:39:0C:06:8B:ED:96:86:00:39\r\n"
        + "a=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"
        + "a=candidate:1 1 udp 2122260223 192.0.2.3 54400 typ host generation 0\r\n"
        + "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=rtcp-fb:96 nack pli\r\na=rtcp-fb:96 goog-remb\r\n"
        + "a=rtpmap:96 VP8/90000\r\na=rtpmap:97 H264/90000\r\na=fmtp:97 packetization-mode=1;profile-level-id=42e01f;sprop-parameter-sets=Z0LgH9oBQBbpUgAAAwACAAADAGQeMGVA,aM4yyA==\r\n";

    private static readonly byte[][] Seeds = [Encoding.UTF8.GetBytes(SdpTests.SoftphoneOffer), Encoding.UTF8.GetBytes(BrowserOffer)];

    private static readonly Gen<string> Field = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-.:/+*#"].Array[1, 12].Select(c => new string(c));

    private static readonly Gen<string> Line = Gen.Frequency((5, Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789 -.:/=;,*#"]), (1, Gen.Char)).Array[0, 40]
        .Select(c => new string([.. c.Where(ch => ch is not ('\r' or '\n') && !char.IsSurrogate(ch))]));

    private static readonly Gen<SdpConnection?> Connection = Gen.Frequency(
        (1, Gen.Const((SdpConnection?)null)),
        (2, Gen.Select(Gen.Bool, Field, (v6, a) => (SdpConnection?)new SdpConnection("IN", v6 ? "IP6" : "IP4", a.Replace("/", "", StringComparison.Ordinal) + "0"))));

    private static readonly Gen<SdpAttribute> Attribute = Gen.Select(Field, Gen.Frequency((1, Gen.Const((string?)null)), (3, Line.Select(l => (string?)l))),
        (name, value) => new SdpAttribute(name.Replace(":", "", StringComparison.Ordinal) + "a", value));

    private static readonly Gen<MediaDescription> Media = Gen.Select(Field, Gen.Int[0, 65535], Field, Field.Array[1, 6], Connection, Line.Array[0, 2], Attribute.Array[0, 8],
        (media, port, protocol, formats, connection, bandwidths, attributes) => new MediaDescription(media, port, protocol, formats, connection, bandwidths, attributes));

    private static readonly Gen<SessionDescription> Session = Gen.Select(
        Gen.Select(Field, Field, Gen.ULong, Field, Field, Field, (u, id, version, n, a, addr) => new SdpOrigin(u, id, version, n, a, addr)),
        Line, Connection, Line.Array[0, 2], Line, Attribute.Array[0, 6], Media.Array[0, 5],
        (origin, name, connection, bandwidths, timing, attributes, media) => new SessionDescription(origin, name, connection, bandwidths, timing, attributes,
            connection is null ? [.. media.Select(m => m.Connection is null ? m with { Connection = new SdpConnection("IN", "IP4", "192.0.2.1") } : m)] : media));

    [Fact]
    public void Mutated_offers_and_random_text_never_throw()
    {
        var gen = Gen.Frequency((4, Mutations.Of(Seeds)), (1, Session.Select(s => Encoding.UTF8.GetBytes(SdpWriter.Write(s)))), (1, Gen.Byte.Array[0, 300]));
        FuzzRun.Check("SDP", "parser never throws", gen, bytes =>
        {
            var text = Encoding.UTF8.GetString(bytes);
            if (SdpParser.TryParse(text, out var offer, out var error))
            {
                foreach (var media in offer.Media)
                {
                    _ = media.Codecs();
                    _ = media.Direction;
                }

                _ = SdpNegotiator.Answer(offer, SdpTests.Options);
                _ = SdpNegotiator.Answer(offer, SdpTests.Options with { SessionVideo = VideoCodec.H264 });
            }
            else
            {
                Assert.NotEmpty(error);
            }

            _ = RtspDescription.TryRead(text, "rtsp://h/", out _, out _);
        }, ciCases: 20_000, print: FuzzRun.Literal);
    }

    [Fact]
    public void Written_descriptions_read_back_field_for_field()
    {
        FuzzRun.Check("SDP", "write then parse round-trips", Session, session =>
        {
            var text = SdpWriter.Write(session);
            Assert.True(SdpParser.TryParse(text, out var read, out var error), error);
            Assert.Equal(JsonSerializer.Serialize(session), JsonSerializer.Serialize(read));
        }, ciCases: 10_000, print: s => SdpWriter.Write(s));
    }

    [Fact]
    public void Long_lines_and_many_lines_are_read_in_linear_time()
    {
        var gen = Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Char["a=:; /\r\nm0"].Array[1, 4], Gen.Int[1_000, 20_000], Gen.UInt);
        FuzzRun.Check("SDP", "long input in bounded time", gen, t =>
        {
            var (seed, run, repeat, position) = t;
            var text = Encoding.UTF8.GetString(Seeds[seed]);
            var at = (int)(position % (uint)text.Length);
            var longText = text[..at] + string.Concat(Enumerable.Repeat(new string(run), repeat)) + text[at..];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            if (SdpParser.TryParse(longText, out var offer, out _))
            {
                _ = SdpNegotiator.Answer(offer, SdpTests.Options);
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{clock.Elapsed} for {longText.Length} characters");
        }, ciCases: 100, print: t => $"seed {t.Item1}, run '{new string(t.Item2)}' x{t.Item3} at {t.Item4}");
    }
}
