using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MediaBridge.Conference;
using MediaBridge.Sdp;
using Microsoft.Extensions.Logging.Abstractions;

// Receivers block on their own threads, not the pool's, so the bridge's receive loops never wait for a thread.
// Drives the bridge's media engine through real loopback sockets: one VP8 source switched to N
// receivers. Prints forwarded packets per second, process CPU per forwarded packet, and the time
// each packet spends between leaving the source socket and reaching a receiver (p50, p99).
if (args.Length > 0 && args[0] == "serve")
{
    Serve(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
    return;
}

var receivers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000;
var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;

using var engine = new MediaEngine(new MediaPorts(IPAddress.Loopback, 42000, 42999), NullLogger<MediaEngine>.Instance);
var vp8 = new SdpCodec(97, "VP8", 90000);
using var source = Bind();
var sourceLeg = engine.CreateLeg("bench", "source");
engine.Negotiated(sourceLeg, Media(vp8, (IPEndPoint)source.LocalEndPoint!));
var sinks = new List<Socket>();
for (var i = 0; i < receivers; i++)
{
    var sink = Bind();
    sinks.Add(sink);
    var leg = engine.CreateLeg("bench", $"r{i}");
    engine.Negotiated(leg, Media(vp8, (IPEndPoint)sink.LocalEndPoint!));
}

engine.Route("bench", Enumerable.Range(0, receivers).ToDictionary(i => $"r{i}", _ => (false, (string?)"source", (string?)null)));
var target = new IPEndPoint(IPAddress.Loopback, sourceLeg.Video.Path.LocalPort);
var latencies = new List<long>[receivers];
var received = new long[receivers];
using var stop = new CancellationTokenSource();
var readers = sinks.Select((sink, i) =>
{
    latencies[i] = new List<long>(rate * seconds);
    var thread = new Thread(() =>
    {
        var buffer = new byte[1500];
        sink.ReceiveTimeout = 500;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var n = sink.Receive(buffer);
                if (n >= 24)
                {
                    received[i]++;
                    latencies[i].Add(Stopwatch.GetTimestamp() - BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(16)));
                }
            }
            catch (SocketException)
            {
            }
        }
    })
    { IsBackground = true };
    thread.Start();
    return thread;
}).ToList();

var packet = new byte[1200];
packet[0] = 0x80;
ushort sequence = 0;
uint timestamp = 0;
void Send(bool keyframe)
{
    packet[1] = 0x80 | 97;
    BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence++);
    BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp += 3000);
    BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), 0x5EED);
    packet[12] = 0x10;
    packet[13] = (byte)(keyframe ? 0x00 : 0x01);
    BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(16), Stopwatch.GetTimestamp());
    source.SendTo(packet, target);
}

for (var i = 0; i < 20; i++)
{
    Send(keyframe: true);
    Thread.Sleep(10);
}

Array.Clear(received);
foreach (var l in latencies)
{
    l.Clear();
}

var process = Process.GetCurrentProcess();
var cpuBefore = process.TotalProcessorTime;
var clock = Stopwatch.StartNew();
long sent = 0;
while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
{
    var due = (long)(clock.Elapsed.TotalSeconds * rate);
    while (sent < due)
    {
        Send(keyframe: false);
        sent++;
    }

    Thread.Sleep(1);
}

Thread.Sleep(300);
process.Refresh();
var cpu = process.TotalProcessorTime - cpuBefore;
await stop.CancelAsync();
readers.ForEach(t => t.Join());
var forwarded = received.Sum();
var all = latencies.SelectMany(l => l).Order().ToArray();
double Micro(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
Console.WriteLine($"receivers {receivers}, offered {rate} pps for {seconds} s: sent {sent}, forwarded {forwarded} ({100.0 * forwarded / Math.Max(1, sent * receivers):F1} % of {sent * receivers})");
Console.WriteLine($"forwarded {forwarded / clock.Elapsed.TotalSeconds:F0} packets/s; process CPU {cpu.TotalSeconds:F2} s = {cpu.TotalMicroseconds / Math.Max(1, forwarded):F2} µs per forwarded packet (source, receivers and bridge together)");
Console.WriteLine($"the bridge received {sourceLeg.Video.Reception.Received} of them from the source; errors {((UdpPairPath)sourceLeg.Video.Path).Rtp.Errors}, foreign {((UdpPairPath)sourceLeg.Video.Path).Foreign}, malformed {sourceLeg.Video.Malformed}");
Console.WriteLine($"added latency source socket to receiver socket: p50 {Micro(all[all.Length / 2]):F0} µs, p99 {Micro(all[(int)(all.Length * 0.99)]):F0} µs");

// The bridge alone, for bench/switch-vs-c.sh: the same one source and N receivers, the receivers being
// 127.0.0.1:FIRST_RECEIVER_PORT + i outside this process (the load generator's). Prints the source leg's
// video port, then runs until its standard input closes.
static void Serve(int receivers, int firstReceiverPort)
{
    using var engine = new MediaEngine(new MediaPorts(IPAddress.Loopback, 42000, 42999), NullLogger<MediaEngine>.Instance);
    var vp8 = new SdpCodec(97, "VP8", 90000);
    var sourceLeg = engine.CreateLeg("bench", "source");
    engine.Negotiated(sourceLeg, Media(vp8, new IPEndPoint(IPAddress.Loopback, 9)));
    for (var i = 0; i < receivers; i++)
    {
        var leg = engine.CreateLeg("bench", $"r{i}");
        engine.Negotiated(leg, Media(vp8, new IPEndPoint(IPAddress.Loopback, firstReceiverPort + i)));
    }

    engine.Route("bench", Enumerable.Range(0, receivers).ToDictionary(i => $"r{i}", _ => (false, (string?)"source", (string?)null)));
    Console.WriteLine($"port {sourceLeg.Video.Path.LocalPort}");
    Console.Out.Flush();
    while (Console.In.Read() >= 0)
    {
    }
}

static Socket Bind()
{
    var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
    s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    return s;
}

static NegotiatedMedia Media(SdpCodec codec, IPEndPoint peer) =>
    new(null, new NegotiatedStream(codec, null, peer, peer, RtcpMux: true, MediaDirection.SendRecv), VideoCodec.Vp8);
