#!/usr/bin/env bash
# Plain-RTP video switching: the bridge (bench/SwitchLoad in serve mode) beside the C reference
# (bench/c-forwarder/forwarder.c, recvmmsg/sendmmsg), under the same load from the same generator
# (bench/c-forwarder/loadgen.c): one source at RATE packets/s of 1,200 bytes, RECEIVERS receivers, all on
# loopback. CPU is each forwarder's own (its threads' schedstat), so the generator's cost is outside both.
# The C reference runs before and after the bridge and its two figures are averaged, as the machine is shared.
#   bench/switch-vs-c.sh [RECEIVERS] [RATE] [SECONDS] [WARMUP_SECONDS]     # defaults 16 4000 10 3
#   C_MODE=sendto bench/switch-vs-c.sh 16 4000    # the reference with one sendto per copy instead
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
receivers=${1:-16}
rate=${2:-4000}
seconds=${3:-10}
warmup=${4:-3}
mode=${C_MODE:-batch}
listen=41000
first=41100
out=$(mktemp -d /tmp/switch-vs-c.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

cc -O2 -Wall -o "$out/forwarder" "$here/c-forwarder/forwarder.c"
cc -O2 -Wall -pthread -o "$out/loadgen" "$here/c-forwarder/loadgen.c"
dotnet build -c Release "$here/SwitchLoad" > "$out/build.log" 2>&1 || { tail -20 "$out/build.log"; exit 1; }
bridge_dll="$here/SwitchLoad/bin/Release/net10.0/SwitchLoad.dll"

run_c() {
  "$out/forwarder" "$listen" "$receivers" "$first" "$mode" &
  local pid=$!
  sleep 0.2
  "$out/loadgen" "$listen" "$receivers" "$first" "$rate" "$seconds" "$pid" "$warmup" | sed "s/^RESULT/RESULT c-$mode/"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

run_bridge() {
  rm -f "$out/in" && mkfifo "$out/in"
  dotnet "$bridge_dll" serve "$receivers" "$first" < "$out/in" > "$out/bridge.out" 2>&1 &
  local pid=$!
  exec 4> "$out/in"
  for _ in $(seq 100); do grep -q '^port ' "$out/bridge.out" && break; sleep 0.1; done
  local port
  port=$(awk '/^port /{print $2; exit}' "$out/bridge.out")
  [[ -n $port ]] || { cat "$out/bridge.out"; exit 1; }
  "$out/loadgen" "$port" "$receivers" "$first" "$rate" "$seconds" "$pid" "$warmup" | sed 's/^RESULT/RESULT bridge/'
  exec 4>&-
  wait "$pid" 2>/dev/null || true
}

echo "$(nproc) cores; $receivers receivers, $rate packets/s offered for $seconds s (after $warmup s warm-up); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
{ trap 'kill $(jobs -p) 2>/dev/null || true' EXIT; run_c; run_bridge; run_c; } | tee "$out/results.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$out/results.txt" <<'PY'
import sys
rows = []
for line in open(sys.argv[1]):
    if not line.startswith("RESULT "):
        continue
    name, *pairs = line.split()[1:]
    rows.append((name, dict(p.split("=", 1) for p in pairs)))
print(f"{'forwarder':<12} {'delivered':>10} {'pps':>9} {'CPU s':>7} {'packets per CPU-s':>18} {'p50 µs':>8} {'p99 µs':>8}")
for name, r in rows:
    print(f"{name:<12} {float(r['pct']):>9.2f}% {float(r['pps']):>9.0f} {float(r['cpu_s']):>7.2f} {float(r['per_cpu_s']):>18.0f} {float(r['p50_us']):>8.0f} {float(r['p99_us']):>8.0f}")
c = [float(r["per_cpu_s"]) for n, r in rows if n.startswith("c-")]
b = [float(r["per_cpu_s"]) for n, r in rows if n == "bridge"]
if c and b:
    print(f"ratio bridge / C reference (packets per CPU-second): {b[0] / (sum(c) / len(c)):.2f}")
PY
