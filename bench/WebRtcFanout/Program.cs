using System.Diagnostics;
using System.Globalization;
using WebRtcFanout;

// One WebRTC publisher fanned out to N WebRTC subscribers through a server, with every hop real:
// ICE, DTLS-SRTP, SRTP both ways on loopback. The same peers run against this bridge (WHIP-style
// joins into one session) and against Janus's video room, so the figures compare like with like:
// packets delivered, the server's CPU per delivered packet (from /proc), and send-to-receive latency.
// Usage: bridge <url> <user> <password> <server-pid> <subscribers> <rate> <seconds>
//        janus  <url> <server-pid> <subscribers> <rate> <seconds>
// FANOUT_ADDRESS sets the peers' candidate address (default 127.0.0.1); FANOUT_WARMUP the warm-up seconds (default 60);
// FANOUT_IDLE how long the idle is measured (default 10 s).
var mode = args[0];
var rest = mode == "bridge" ? args[4..] : args[2..];
var pid = int.Parse(rest[0], CultureInfo.InvariantCulture);
var subscribers = int.Parse(rest[1], CultureInfo.InvariantCulture);
var rate = int.Parse(rest[2], CultureInfo.InvariantCulture);
var seconds = int.Parse(rest[3], CultureInfo.InvariantCulture);
BenchPeer.Address = Environment.GetEnvironmentVariable("FANOUT_ADDRESS") ?? BenchPeer.Address;
BenchPeer.Lite = mode == "janus";
using ISignalling signalling = mode == "bridge" ? new BridgeSignalling(args[1], args[2], args[3]) : new JanusSignalling(args[1]);

await signalling.PrepareAsync(subscribers);
using var publisher = new BenchPeer();
await signalling.ConnectPublisherAsync(publisher);
var peers = new List<BenchPeer>();
for (var i = 0; i < subscribers; i++)
{
    var peer = new BenchPeer();
    peers.Add(peer);
    await signalling.ConnectSubscriberAsync(peer, i);
}

var consent = new Timer(_ => peers.Append(publisher).ToList().ForEach(p => p.SendCheck()), null, TimeSpan.Zero, TimeSpan.FromSeconds(5));

// A warm-up at the full rate first, so that a server with a JIT has compiled its forwarding path (a
// C server has nothing to warm) and neither side is measured while it settles after the joins.
var warmUp = int.Parse(Environment.GetEnvironmentVariable("FANOUT_WARMUP") ?? "60", CultureInfo.InvariantCulture);
if (warmUp > 0)
{
    using var warming = new CancellationTokenSource(TimeSpan.FromSeconds(warmUp));
    publisher.Publish(rate, warming.Token);
}

// What the server spends with everyone connected and nothing sent: its own housekeeping, not forwarding.
// The joins' own work (handshakes, session updates) settles first.
await Task.Delay(TimeSpan.FromSeconds(5));
var idleSeconds = int.Parse(Environment.GetEnvironmentVariable("FANOUT_IDLE") ?? "10", CultureInfo.InvariantCulture);
var idleTicks = ServerTicks(pid);
var idleClock = Stopwatch.StartNew();
await Console.Error.WriteLineAsync($"idle: measuring for {idleSeconds} s");
await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
var idlePerSecond = (ServerTicks(pid) - idleTicks) / 100.0 / idleClock.Elapsed.TotalSeconds;

using var stop = new CancellationTokenSource();
var sending = new Thread(() => publisher.Publish(rate, stop.Token)) { IsBackground = true, Name = "publisher", Priority = ThreadPriority.AboveNormal };
sending.Start();
await Task.Delay(TimeSpan.FromSeconds(3));
var before = peers.Sum(p => Interlocked.Read(ref p.Received));
var serverBefore = ServerTicks(pid);
var clock = Stopwatch.StartNew();
peers.ForEach(p => p.Measuring = true);
await Task.Delay(TimeSpan.FromSeconds(seconds));
peers.ForEach(p => p.Measuring = false);
var elapsed = clock.Elapsed.TotalSeconds;
var serverCpu = (ServerTicks(pid) - serverBefore) / 100.0;
var delivered = peers.Sum(p => Interlocked.Read(ref p.Received)) - before;
stop.Cancel();
sending.Join();
await consent.DisposeAsync();

var latencies = peers.SelectMany(p => p.Latencies).Order().ToList();
double Percentile(double q) => latencies.Count == 0 ? double.NaN : latencies[(int)Math.Min(latencies.Count - 1, q * latencies.Count)] * 1000.0 / Stopwatch.Frequency;
var pps = delivered / elapsed;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{mode}: {subscribers} subscribers, {rate} pps in; delivered {pps:F0} pps ({100.0 * pps / (rate * subscribers):F1} %); " +
    $"server CPU {100 * serverCpu / elapsed:F0} % of a core ({100 * idlePerSecond:F0} % idle), " +
    $"{1e6 * serverCpu / Math.Max(1, delivered):F1} µs per delivered packet ({1e6 * (serverCpu - (idlePerSecond * elapsed)) / Math.Max(1, delivered):F1} µs above idle); " +
    $"latency p50 {Percentile(0.5):F2} ms, p99 {Percentile(0.99):F2} ms"));
peers.ForEach(p => p.Dispose());

// utime + stime of the server process in clock ticks (100 a second on Linux), from /proc/<pid>/stat.
static long ServerTicks(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
}
