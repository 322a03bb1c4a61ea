using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Command.Contracts.Media;
using MediaBridge.Conference;
using MediaBridge.Legs.Feeds;
using MediaBridge.Rtp;
using MediaBridge.Rtp.H264;
using MediaBridge.Sdp;
using Microsoft.Extensions.Logging.Abstractions;

// Cameras into the bridge's media engine, as the node ingests them (FeedIngest listening for an RTP push),
// each forwarded to one plain-RTP receiver. ffmpeg pushes pre-encoded 1 Mbit/s H.264 (stream copy, so the
// senders cost little) through its tee muxer to three places at once: the bridge's feed port, an ffmpeg
// relay (`-c copy` RTP in, RTP out: the same job done by ffmpeg, for a CPU figure side by side) and, for
// camera 0, a tap socket here, whose arrival time stands for the packet's arrival at the bridge.
//
// Usage: FeedIngest CAMERAS SECONDS SWITCHES
//   CPU per camera of this process (bridge, its receivers and the tap) and of the ffmpeg relays, from /proc;
//   camera 0's added latency (tap to receiver socket) p50/p99; then SWITCHES switches to a camera with a
//   4 s keyframe interval with the default cache, a cache large enough for its group, and no cache.
var cameras = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var switches = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;

var work = Directory.CreateTempSubdirectory("feed-bench-");
var processes = new List<Process>();
try
{
    Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
    var clip = Encode(work, "cam2s.ts", "testsrc2=size=640x360:rate=15", gop: 30);
    var slowClip = Encode(work, "cam4s.ts", "testsrc2=size=1280x720:rate=15", gop: 60);
    Ingest(clip);
    SwitchTimes(clip, slowClip);
    Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
}
finally
{
    foreach (var p in processes)
    {
        try
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(3000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    work.Delete(recursive: true);
}

void Ingest(string clip)
{
    using var engine = new MediaEngine(new MediaPorts(IPAddress.Loopback, 44000, 44999), NullLogger<MediaEngine>.Instance);
    var ingests = new List<FeedIngest>();
    var sinks = new List<Socket>();
    var relaySinks = new List<Socket>();
    var relays = new List<Process>();
    var senders = new List<Process>();
    using var tap = Bind();
    for (var i = 0; i < cameras; i++)
    {
        var feedPort = FreeUdpPort();
        var relayPort = FreeUdpPort();
        var camera = engine.CreateFeed($"cam{i}");
        ingests.Add(new FeedIngest(new PlanFeed($"cam{i}", $"rtp://127.0.0.1:{feedPort}", null, null), camera, new FeedOptions(), TimeProvider.System, NullLogger.Instance));
        var sink = Bind();
        sinks.Add(sink);
        var session = $"s{i}";
        engine.AttachFeed(session, camera);
        var leg = engine.CreateLeg(session, "viewer");
        engine.Negotiated(leg, new NegotiatedMedia(null, new NegotiatedStream(new SdpCodec(96, "H264", 90000, Fmtp: "packetization-mode=1"), null, Local(sink), Local(sink), RtcpMux: true, MediaDirection.SendRecv), VideoCodec.H264));
        engine.Route(session, new Dictionary<string, (bool, string?, string?)> { ["viewer"] = (false, null, $"cam{i}") });

        var relaySink = Bind();
        relaySinks.Add(relaySink);
        var sdp = Path.Combine(work.FullName, $"relay{i}.sdp");
        File.WriteAllText(sdp, $"v=0\no=- 0 0 IN IP4 127.0.0.1\ns=cam{i}\nc=IN IP4 127.0.0.1\nt=0 0\nm=video {relayPort} RTP/AVP 96\na=rtpmap:96 H264/90000\na=fmtp:96 packetization-mode=1\n");
        relays.Add(Start("-hide_banner", "-loglevel", "error", "-protocol_whitelist", "file,udp,rtp", "-fflags", "nobuffer", "-i", sdp,
            "-c", "copy", "-f", "rtp", $"rtp://127.0.0.1:{Local(relaySink).Port}?pkt_size=1200"));
        // The tee writes its outputs in order: the tap first, so its time is never later than the bridge's arrival.
        var outputs = $"[f=rtp:onfail=ignore]rtp://127.0.0.1:{feedPort}?pkt_size=1200|[f=rtp:onfail=ignore]rtp://127.0.0.1:{relayPort}?pkt_size=1200";
        if (i == 0)
        {
            outputs = $"[f=rtp:onfail=ignore]rtp://127.0.0.1:{Local(tap).Port}?pkt_size=1200|{outputs}";
        }

        senders.Add(Start("-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", clip, "-map", "0:v", "-c", "copy", "-f", "tee", outputs));
    }

    // Camera 0's packets by payload: when each reached the tap, then how long after that its receiver got it.
    // Small payloads (the parameter sets repeated at each keyframe) recur unchanged and are not timed.
    var tapped = new ConcurrentDictionary<ulong, long>();
    var latencies = new ConcurrentBag<long>();
    var received = new long[cameras];
    var relayed = new long[cameras];
    using var stop = new CancellationTokenSource();
    var tids = new List<string>();
    var buffer = new byte[2048];
    void Tap(ReadOnlySpan<byte> packet, long at)
    {
        if (packet.Length > 200)
        {
            tapped[Hash(packet)] = at;
        }
    }

    // The tap and camera 0's receiver are read by one thread, the tap first, so a packet is timed at the
    // tap before its copy from the bridge is looked up; a payload seen a clip's loop ago is not a match.
    var readers = new List<Thread>
    {
        Reader([tap, sinks[0]], (i, packet, at) =>
        {
            if (i == 0)
            {
                Tap(packet, at);
                return;
            }

            received[0]++;
            if (packet.Length <= 200)
            {
                return;
            }

            var key = Hash(packet);
            while (!(tapped.TryGetValue(key, out var sent) && at - sent < Stopwatch.Frequency) && tap.Available > 0)
            {
                var n = tap.Receive(buffer);
                Tap(buffer.AsSpan(0, n), Stopwatch.GetTimestamp());
            }

            if (tapped.TryGetValue(key, out var tappedAt) && at - tappedAt < Stopwatch.Frequency && at >= tappedAt)
            {
                latencies.Add(at - tappedAt);
            }
        }, stop.Token, tids),
        Reader(sinks.Skip(1).ToList(), (i, _, _) => received[i + 1]++, stop.Token, tids),
        Reader(relaySinks, (i, _, _) => relayed[i]++, stop.Token, tids),
    };

    Thread.Sleep(TimeSpan.FromSeconds(4));
    var online = ingests.Count(x => x.Status == Command.Contracts.Feeds.FeedStatus.Online);
    latencies.Clear();
    Array.Clear(received);
    Array.Clear(relayed);
    var self = Process.GetCurrentProcess();
    self.Refresh();
    var bridgeBefore = self.TotalProcessorTime;
    var readersBefore = ThreadCpu(tids);
    var relayBefore = Cpu(relays);
    var senderBefore = Cpu(senders);
    var clock = Stopwatch.StartNew();
    Thread.Sleep(TimeSpan.FromSeconds(seconds));
    self.Refresh();
    var wall = clock.Elapsed.TotalSeconds;
    var processCpu = (self.TotalProcessorTime - bridgeBefore).TotalSeconds;
    var readersCpu = ThreadCpu(tids) - readersBefore;
    var bridgeCpu = processCpu - readersCpu;
    var relayCpu = Cpu(relays) - relayBefore;
    var senderCpu = Cpu(senders) - senderBefore;
    var inKbps = ingests.Select(x => x.Measure(TimeSpan.FromSeconds(15)).BitrateKbps ?? 0).ToList();
    stop.Cancel();
    readers.ForEach(t => t.Join());

    var sorted = latencies.Order().ToArray();
    double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
    Console.WriteLine($"cameras {cameras} ({online} online), {wall:F0} s; camera bit rate at the bridge {inKbps.Average():F0} kbit/s each; packets to the bridge's receivers {received.Sum() / wall:F0}/s, through the ffmpeg relays {relayed.Sum() / wall:F0}/s");
    Console.WriteLine($"CPU per camera: bridge {100 * bridgeCpu / wall / cameras:F2} % of a core (this process {100 * processCpu / wall / cameras:F2} % less its reader threads {100 * readersCpu / wall / cameras:F2} %), ffmpeg relay {100 * relayCpu / wall / cameras:F2} %, bridge/ffmpeg {bridgeCpu / Math.Max(relayCpu, 1e-9):F2}; the ffmpeg senders {100 * senderCpu / wall / cameras:F2} %");
    Console.WriteLine(sorted.Length == 0
        ? "camera 0: no packet matched between tap and receiver"
        : $"camera 0 added latency, bridge input to receiver socket: p50 {Ms(sorted[sorted.Length / 2]):F3} ms, p99 {Ms(sorted[(int)(sorted.Length * 0.99)]):F3} ms, max {Ms(sorted[^1]):F3} ms over {sorted.Length} packets");

    foreach (var p in senders.Concat(relays))
    {
        p.Kill(entireProcessTree: true);
        p.WaitForExit(3000);
    }

    ingests.ForEach(x => x.Dispose());
    sinks.Concat(relaySinks).ToList().ForEach(s => s.Dispose());
}

void SwitchTimes(string clip, string slowClip)
{
    var (portA, portB) = (FreeUdpPort(), FreeUdpPort());
    Start("-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", clip, "-map", "0:v", "-c", "copy", "-f", "rtp", $"rtp://127.0.0.1:{portA}?pkt_size=1200");
    Start("-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", slowClip, "-map", "0:v", "-c", "copy", "-f", "rtp", $"rtp://127.0.0.1:{portB}?pkt_size=1200");
    var defaults = new FeedOptions();
    foreach (var (name, packets, bytes) in new[]
    {
        ($"the default cache ({defaults.CachePackets} packets, {defaults.CacheBytes >> 20} MB)", defaults.CachePackets, defaults.CacheBytes),
        ("a cache of 300 packets", 300, 2 << 20),
        ("no cache", 0, 0),
    })
    {
        using var engine = new MediaEngine(new MediaPorts(IPAddress.Loopback, 45000, 45999), NullLogger<MediaEngine>.Instance);
        var a = engine.CreateFeed("a", packets, bytes);
        var b = engine.CreateFeed("b", packets, bytes);
        var options = new FeedOptions { CachePackets = packets, CacheBytes = bytes };
        using var ingestA = new FeedIngest(new PlanFeed("a", $"rtp://127.0.0.1:{portA}", null, null), a, options, TimeProvider.System, NullLogger.Instance);
        using var ingestB = new FeedIngest(new PlanFeed("b", $"rtp://127.0.0.1:{portB}", null, null), b, options, TimeProvider.System, NullLogger.Instance);
        using var sink = Bind();
        engine.AttachFeed("switch", a);
        engine.AttachFeed("switch", b);
        var leg = engine.CreateLeg("switch", "viewer");
        engine.Negotiated(leg, new NegotiatedMedia(null, new NegotiatedStream(new SdpCodec(96, "H264", 90000, Fmtp: "packetization-mode=1"), null, Local(sink), Local(sink), RtcpMux: true, MediaDirection.SendRecv), VideoCodec.H264));
        var firstB = 0L;
        var watching = false;
        using var stop = new CancellationTokenSource();
        var reader = Reader([sink], (_, packet, at) =>
        {
            if (Volatile.Read(ref watching) && Interlocked.Read(ref firstB) == 0 && SpsWidth(packet) == 1280)
            {
                Interlocked.Exchange(ref firstB, at);
            }
        }, stop.Token);
        Thread.Sleep(5000);
        var random = new Random(7);
        var times = new List<double>();
        for (var i = 0; i < switches; i++)
        {
            engine.Route("switch", new Dictionary<string, (bool, string?, string?)> { ["viewer"] = (false, null, "a") });
            Thread.Sleep(1000 + random.Next(4000));
            Interlocked.Exchange(ref firstB, 0);
            Volatile.Write(ref watching, true);
            var called = Stopwatch.GetTimestamp();
            engine.Route("switch", new Dictionary<string, (bool, string?, string?)> { ["viewer"] = (false, null, "b") });
            var deadline = Stopwatch.StartNew();
            while (Interlocked.Read(ref firstB) == 0 && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(1);
            }

            Volatile.Write(ref watching, false);
            var at = Interlocked.Read(ref firstB);
            times.Add(at == 0 ? double.NaN : (at - called) * 1000.0 / Stopwatch.Frequency);
        }

        stop.Cancel();
        reader.Join();
        var done = times.Where(t => !double.IsNaN(t)).Order().ToList();
        Console.WriteLine($"switch to the 4 s camera (1280x720, 1 Mbit/s) with {name}: first keyframe packet at the receiver after " +
            (done.Count == 0 ? "never" : $"median {done[done.Count / 2]:F1} ms, max {done[^1]:F1} ms") +
            $" ({done.Count} of {times.Count} switches; group of pictures in the cache when last switched: {b.Cache.Count} packets, {b.Cache.Bytes / 1024} KB; overflows {b.Cache.Overflows})");
    }
}

string Encode(DirectoryInfo folder, string name, string source, int gop)
{
    var path = Path.Combine(folder.FullName, name);
    using var p = Process.Start(Info("-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", source, "-t", "30", "-c:v", "libx264", "-preset", "veryfast",
        "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-g", gop.ToString(CultureInfo.InvariantCulture), "-keyint_min", gop.ToString(CultureInfo.InvariantCulture),
        "-sc_threshold", "0", "-b:v", "1000k", "-maxrate", "1000k", "-bufsize", "1000k", "-f", "mpegts", path))!;
    p.WaitForExit();
    if (p.ExitCode != 0)
    {
        throw new InvalidOperationException($"ffmpeg could not encode {name}: {p.StandardError.ReadToEnd()}");
    }

    return path;
}

Process Start(params string[] arguments)
{
    var p = Process.Start(Info(arguments))!;
    p.BeginErrorReadLine();
    p.BeginOutputReadLine();
    processes.Add(p);
    return p;
}

static ProcessStartInfo Info(params string[] arguments)
{
    var info = new ProcessStartInfo("/usr/bin/ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
    foreach (var a in arguments)
    {
        info.ArgumentList.Add(a);
    }

    return info;
}

// utime and stime of each thread, from /proc/self/task/TID/stat, in seconds (clock ticks of 10 ms).
static double ThreadCpu(List<string> tids)
{
    lock (tids)
    {
        return tids.Sum(tid =>
        {
            var stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        });
    }
}

static double Cpu(IEnumerable<Process> list) => list.Sum(p =>
{
    p.Refresh();
    return p.HasExited ? 0 : p.TotalProcessorTime.TotalSeconds;
});

static Thread Reader(List<Socket> sockets, Action<int, ReadOnlySpan<byte>, long> onPacket, CancellationToken stop, List<string>? tids = null)
{
    var thread = new Thread(() =>
    {
        if (tids is not null)
        {
            lock (tids)
            {
                tids.Add(Path.GetFileName(new DirectoryInfo("/proc/thread-self").ResolveLinkTarget(false)!.FullName));
            }
        }

        var buffer = new byte[2048];
        var ready = new List<Socket>(sockets.Count);
        while (!stop.IsCancellationRequested)
        {
            ready.Clear();
            ready.AddRange(sockets);
            if (ready.Count > 0)
            {
                Socket.Select(ready, null, null, 200_000);
            }
            else
            {
                Thread.Sleep(200);
            }

            foreach (var s in sockets.Where(ready.Contains))
            {
                while (s.Available > 0)
                {
                    var n = s.Receive(buffer);
                    onPacket(sockets.IndexOf(s), buffer.AsSpan(0, n), Stopwatch.GetTimestamp());
                }
            }
        }
    })
    { IsBackground = true, Priority = ThreadPriority.AboveNormal };
    thread.Start();
    return thread;
}

// FNV-1a over the RTP payload: the bridge rewrites the header only.
static ulong Hash(ReadOnlySpan<byte> packet)
{
    if (!RtpHeader.TryRead(packet, out var header))
    {
        return 0;
    }

    var hash = 14695981039346656037UL;
    foreach (var b in RtpHeader.Payload(packet, header))
    {
        hash = (hash ^ b) * 1099511628211UL;
    }

    return hash;
}

static int SpsWidth(ReadOnlySpan<byte> packet)
{
    if (!RtpHeader.TryRead(packet, out var header) || header.PayloadLength < 4)
    {
        return 0;
    }

    var payload = RtpHeader.Payload(packet, header);
    if ((payload[0] & 0x1F) != 24)
    {
        return SpsParser.TryParse(payload, out var alone) ? alone.Width : 0;
    }

    for (var at = 1; at + 2 < payload.Length;)
    {
        var size = (payload[at] << 8) | payload[at + 1];
        if (size == 0 || at + 2 + size > payload.Length)
        {
            return 0;
        }

        if (SpsParser.TryParse(payload.Slice(at + 2, size), out var sps))
        {
            return sps.Width;
        }

        at += 2 + size;
    }

    return 0;
}

static Socket Bind()
{
    var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
    s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    return s;
}

static IPEndPoint Local(Socket s) => (IPEndPoint)s.LocalEndPoint!;

static int FreeUdpPort()
{
    using var s = Bind();
    return Local(s).Port;
}
