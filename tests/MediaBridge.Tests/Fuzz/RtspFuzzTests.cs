using System.Globalization;
using System.Text;
using CsCheck;
using MediaBridge.Rtsp;
using MediaBridge.Tests.Rtsp;

namespace MediaBridge.Tests.Fuzz;

/// <summary>Properties of the RTSP connection reader, the H.264 depacketizer and what reads a camera's answers.</summary>
public sealed class RtspFuzzTests
{
    private const string Challenge =
        "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: Digest realm=\"IP Camera(C6832)\", nonce=\"a1b2c3d4e5f60718\", stale=\"FALSE\"\r\n"
        + "WWW-Authenticate: Basic realm=\"IP Camera(C6832)\"\r\nDate:  Mon, Mar 04 2024 08:15:02 GMT\r\n\r\n";

    private const string Describe =
        "RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Base: rtsp://192.0.2.64/live/\r\nContent-Type: application/sdp\r\nContent-Length: 151\r\n\r\n"
        + "v=0\r\no=- 1 1 IN IP4 192.0.2.64\r\ns=Media\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:96 H264/90000\r\na=control:track1\r\nm=audio 0 RTP/AVP 0\r\n";

    private static readonly byte[][] Seeds =
    [
        Encoding.UTF8.GetBytes(Challenge + "$\0\0\x04abcd" + Describe),
        Encoding.UTF8.GetBytes("OPTIONS rtsp://h/ RTSP/1.0\nCSeq: 9\n\n$\x01\0\x0C\x80\xC8\0\x02\0\0\0\x01\0\0\0\0"),
    ];

    private static readonly Gen<string> Word = Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"].Array[1, 12].Select(c => new string(c));

    private static readonly Gen<string> Value = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789 ;=,/:\"."].Array[0, 30].Select(c => new string(c).Trim());

    /// <summary>One item on the wire: a response with headers and a body, or an interleaved frame.</summary>
    private static readonly Gen<Item> Items = Gen.Frequency(
        (1, Gen.Select(Gen.Int[100, 999], Value, Gen.Select(Word, Value, (n, v) => new KeyValuePair<string, string>("X-" + n, v)).Array[0, 5], Gen.Byte.Array[0, 200], Gen.Bool,
            (status, reason, headers, body, lf) => new Item(null, status, reason, headers, body, lf))),
        (1, Gen.Select(Gen.Byte, Gen.Byte.Array[0, 300], (channel, payload) => new Item(channel, 0, "", [], payload, false))));

    private static readonly byte[] Sps = [0x67, 0x42, 0xC0, 0x1E, 0xD9];
    private static readonly byte[] Pps = [0x68, 0xCE, 0x3C, 0x80];

    [Fact]
    public void Random_and_mutated_bytes_never_throw_and_always_make_progress()
    {
        FuzzRun.Check("RTSP", "reader never throws, always progresses", Mutations.OrBytes(Seeds, 400), data =>
        {
            var at = 0;
            while (at < data.Length)
            {
                var kind = RtspReader.Read(data.AsSpan(at), out var used, out _, out _, out _);
                if (kind == RtspItemKind.NeedMore)
                {
                    break;
                }

                Assert.InRange(used, 1, data.Length - at);
                at += used;
            }

            var text = Encoding.UTF8.GetString(data);
            _ = RtspDescription.TryRead(text, "rtsp://h/", out _, out _);
            _ = RtspDescription.ParameterSets(text);
            var auth = new RtspAuthenticator("u", "p");
            if (auth.Take([text, .. text.Split("\r\n")]))
            {
                _ = auth.Authorization("DESCRIBE", "rtsp://h/");
            }
        }, ciCases: 20_000, print: FuzzRun.Literal);
    }

    [Fact]
    public void A_stream_of_responses_and_frames_reads_back_item_for_item_however_it_is_cut()
    {
        var gen = Gen.Select(Items.Array[1, 8], Gen.Int[1, 64].Array[1, 20]);
        FuzzRun.Check("RTSP", "stream round-trips across any cut", gen, t =>
        {
            var (items, cuts) = t;
            var wire = items.SelectMany(Write).ToArray();
            var read = new List<Item>();
            var buffer = new List<byte>();
            var offered = 0;
            for (var c = 0; offered < wire.Length; c++)
            {
                var take = Math.Min(cuts[c % cuts.Length], wire.Length - offered);
                buffer.AddRange(wire.AsSpan(offered, take).ToArray());
                offered += take;
                while (true)
                {
                    var data = buffer.ToArray();
                    var kind = RtspReader.Read(data, out var used, out var frame, out var response, out _);
                    if (kind == RtspItemKind.NeedMore)
                    {
                        break;
                    }

                    Assert.NotEqual(RtspItemKind.Skipped, kind);
                    read.Add(kind == RtspItemKind.Frame
                        ? new Item(frame.Channel, 0, "", [], frame.Payload.ToArray(), false)
                        : new Item(null, response!.Status, response.Reason, [.. response.Headers.Fields.Where(f => f.Key.StartsWith("X-", StringComparison.Ordinal))], response.Body, false));
                    buffer.RemoveRange(0, used);
                }
            }

            Assert.Empty(buffer);
            Assert.Equal(items.Length, read.Count);
            for (var i = 0; i < items.Length; i++)
            {
                Assert.Equal((items[i].Channel, items[i].Status, items[i].Reason), (read[i].Channel, read[i].Status, read[i].Reason));
                Assert.Equal(items[i].Headers, read[i].Headers);
                Assert.Equal(items[i].Body, read[i].Body);
            }
        }, ciCases: 3_000);
    }

    [Fact]
    public void Random_and_mutated_packets_never_throw_out_of_the_depacketizer()
    {
        byte[][] seeds =
        [
            H264DepacketizerTests.Packet(1, 0, false, [0x78, 0, 5, .. Sps, 0, 4, .. Pps]),
            H264DepacketizerTests.Packet(2, 0, false, [0x7C, 0x85, 1, 2, 3]),
            H264DepacketizerTests.Packet(3, 0, true, [0x7C, 0x45, 4, 5]),
            H264DepacketizerTests.Packet(4, 0, true, [0x65, 0x88, 0x84]),
        ];
        FuzzRun.Check("RTSP", "depacketizer never throws", Gen.Frequency((3, Mutations.Of(seeds, 4)), (1, Gen.Byte.Array[0, 64])).Array[1, 30], packets =>
        {
            var depacketizer = new H264Depacketizer();
            foreach (var packet in packets)
            {
                foreach (var unit in depacketizer.Push(packet))
                {
                    Assert.NotEmpty(unit.Nals);
                    _ = unit.AnnexB();
                }
            }
        }, ciCases: 10_000, print: p => string.Join("\n", p.Select(FuzzRun.Literal)));
    }

    [Fact]
    public void Packetized_access_units_come_back_whole_whatever_the_packetization()
    {
        var slice = Gen.Select(Gen.Bool, Gen.Byte.Array[1, 1500], (idr, body) => (byte[])[(byte)(idr ? 0x65 : 0x41), .. body]);
        var unit = slice.Array[1, 3];
        var gen = Gen.Select(unit.Array[1, 6], Gen.Int[0, 2], Gen.Int[16, 1400]);
        FuzzRun.Check("RTSP", "packetize then depacketize round-trips", gen, t =>
        {
            var (units, mode, mtu) = t;
            units[0] = [[0x65, 1, 2, 3], .. units[0]];
            var depacketizer = new H264Depacketizer([Sps, Pps]);
            var received = new List<H264AccessUnit>();
            ushort sequence = 1;
            for (var u = 0; u < units.Length; u++)
            {
                var payloads = Packetize(units[u], mode, mtu);
                for (var p = 0; p < payloads.Count; p++)
                {
                    received.AddRange(depacketizer.Push(H264DepacketizerTests.Packet(sequence++, (uint)(u * 3000), p == payloads.Count - 1, payloads[p])));
                }
            }

            Assert.Equal((0L, 0L, 0L), (depacketizer.Malformed, depacketizer.Lost, depacketizer.Dropped));
            Assert.Equal(units.Length, received.Count);
            for (var u = 0; u < units.Length; u++)
            {
                var keyframe = units[u].Any(n => (n[0] & 0x1F) == 5);
                Assert.Equal(keyframe, received[u].Keyframe);
                var expected = (keyframe ? [Sps, Pps] : Array.Empty<byte[]>()).Concat(units[u]).ToList();

                // SequenceEqual rather than Assert.Equal: xUnit's structural comparison of large nested arrays costs more than the property.
                Assert.True(expected.Count == received[u].Nals.Count && expected.Zip(received[u].Nals).All(p => p.First.AsSpan().SequenceEqual(p.Second)), $"unit {u} differs");
            }
        }, ciCases: 2_000, print: t => $"{t.Item1.Length} units, mode {t.Item2}, mtu {t.Item3}");
    }

    /// <summary>Single NAL units (mode 0), STAP-A where the units fit (1), or FU-A fragments of at most <paramref name="mtu"/> bytes (2).</summary>
    private static List<byte[]> Packetize(byte[][] nals, int mode, int mtu)
    {
        var payloads = new List<byte[]>();
        switch (mode)
        {
            case 0:
                payloads.AddRange(nals);
                break;
            case 1:
                payloads.Add([(byte)((nals[0][0] & 0x60) | 24), .. nals.SelectMany(n => (byte[])[(byte)(n.Length >> 8), (byte)n.Length, .. n])]);
                break;
            default:
                foreach (var nal in nals)
                {
                    var body = nal[1..];
                    for (var at = 0; at < body.Length || at == 0; at += mtu)
                    {
                        var chunk = body.AsSpan(at, Math.Min(mtu, body.Length - at)).ToArray();
                        var header = (byte)((at == 0 ? 0x80 : 0) | (at + mtu >= body.Length ? 0x40 : 0) | (nal[0] & 0x1F));
                        payloads.Add([(byte)((nal[0] & 0xE0) | 28), header, .. chunk]);
                    }
                }

                break;
        }

        return payloads;
    }

    private static byte[] Write(Item item)
    {
        if (item.Channel is { } channel)
        {
            return [(byte)'$', channel, (byte)(item.Body.Length >> 8), (byte)item.Body.Length, .. item.Body];
        }

        var head = new StringBuilder().Append(CultureInfo.InvariantCulture, $"RTSP/1.0 {item.Status} {item.Reason}\r\n");
        foreach (var (name, value) in item.Headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {item.Body.Length}\r\n\r\n");
        return [.. Encoding.UTF8.GetBytes(head.ToString()), .. item.Body];
    }

    private sealed record Item(byte? Channel, int Status, string Reason, KeyValuePair<string, string>[] Headers, byte[] Body, bool Lf);
}
