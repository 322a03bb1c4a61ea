#!/usr/bin/env bash
# Soak run: one all-in-one node (Release, fresh data directory, the shortest checkpoint period),
# 2-4 baresip venue terminals in one live session, and a chair action every few seconds. Every
# SOAK_SAMPLE_SECONDS it samples the node's RSS, open descriptors, threads and CPU time from /proc,
# /health, and the session's leg counters, into a CSV, and prints a summary at the end.
#
# Usage: bench/soak/soak.sh
#   SOAK_MINUTES=30          how long to run (default 30)
#   SOAK_TERMINALS=3         baresip terminals, 2-4 (2101 禅城 chairs; 2102 南海, 2103 顺德, 2104 三水 join)
#   SOAK_ACTION_SECONDS=5    period of the chair actions (broadcast, mute, lock in turn)
#   SOAK_SAMPLE_SECONDS=30   sampling period
#   SOAK_CHECKPOINT_MINUTES  the store's checkpoint period (default the shortest allowed)
#   SOAK_CSV=path            where the samples go (default bench/soak/soak-<time>.csv)
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${SOAK_MINUTES:-30}
terminals=${SOAK_TERMINALS:-3}
action_every=${SOAK_ACTION_SECONDS:-5}
sample_every=${SOAK_SAMPLE_SECONDS:-30}
csv=${SOAK_CSV:-bench/soak/soak-$(date +%Y%m%d-%H%M%S).csv}
(( terminals >= 2 && terminals <= 4 )) || { echo "SOAK_TERMINALS must be 2-4" >&2; exit 2; }
command -v baresip >/dev/null || { echo "baresip is not installed (apt-get install baresip-core)" >&2; exit 2; }

dotnet build src/Command.Silo -c Release -v quiet -nologo >/dev/null
silo=src/Command.Silo/bin/Release/net10.0/Command.Silo.dll
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
# A UDP port for baresip's SIP with the same port free on TCP and the next one free too (its TLS listener).
free_sip_port() {
  python3 - <<'EOF'
import socket
def free(kind, port):
    s = socket.socket(socket.AF_INET, kind)
    try:
        s.bind(("127.0.0.1", port)); return True
    except OSError:
        return False
    finally:
        s.close()
for _ in range(50):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0)); port = u.getsockname()[1]; u.close()
    if port < 65535 and free(socket.SOCK_STREAM, port) and free(socket.SOCK_STREAM, port + 1) and free(socket.SOCK_DGRAM, port + 1):
        break
print(port)
EOF
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# The sample topology on loopback; baresip answers MD5 digests only.
python3 - "$work/topology.json" <<'EOF'
import json, sys
doc = json.load(open("samples/topology/foshan.json"))
doc["sipDomain"] = "127.0.0.1"
for v in doc["venues"]:
    if v.get("sipUser") in ("2101", "2102", "2103", "2104"):
        v["sipDigest"] = "MD5"
json.dump(doc, open(sys.argv[1], "w"), ensure_ascii=False)
EOF

# The shortest checkpoint period the node accepts (fractions of a minute where it takes them), so
# a run goes through many checkpoints.
shortest=1
grep -q 'double CheckpointMinutes' src/Command.Silo/Hosting/CommandOptions.cs && shortest=0.05
checkpoint="--Command:CheckpointMinutes=${SOAK_CHECKPOINT_MINUTES:-$shortest}"

port=$(free_port)
base="http://127.0.0.1:$port"
hash=$(echo soak-password | dotnet "$silo" hash-password 2>/dev/null)
DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning dotnet "$silo" --urls "$base" \
  --Command:DataDirectory="$work/data" --Command:TopologyFile="$work/topology.json" "$checkpoint" \
  --Command:SiloPort="$(free_port)" --Command:GatewayPort="$(free_port)" --Command:Bridge:SipAddress=127.0.0.1 --Command:Bridge:SipPort=0 \
  --Command:Auth:Users:0:Name=soak --Command:Auth:Users:0:PasswordHash="$hash" \
  --Command:Auth:Users:0:Role=admin --Command:Auth:Users:0:Region=440000 >"$work/node.log" 2>&1 &
node=$!
pids+=("$node")
for _ in $(seq 1 600); do curl -sf "$base/health" >/dev/null && break; kill -0 "$node" 2>/dev/null || { cat "$work/node.log"; exit 1; }; sleep 0.2; done
token=$(curl -sf -XPOST "$base/api/auth/token" -H 'content-type: application/json' -d '{"username":"soak","password":"soak-password"}' | json 'd["accessToken"]')
auth=(-H "authorization: Bearer $token")
sip=$(curl -sf "$base/health" | json 'd["checks"]["bridge"]["description"]' | sed -E 's/.*SIP on udp\+tcp [^:]+:([0-9]+).*/\1/')

# Terminals: a tone as microphone (long enough for the whole run) and a VP8 test picture, answering by themselves.
venues=(fs-chancheng fs-nanhai fs-shunde fs-sanshui)
users=(2101 2102 2103 2104)
tones=(500 1100 700 900)
seconds=$(( minutes * 60 + 300 ))
for i in $(seq 0 $(( terminals - 1 ))); do
  dir="$work/baresip-$i"; mkdir -p "$dir"
  ffmpeg -loglevel error -f lavfi -i "sine=frequency=${tones[$i]}:sample_rate=8000:duration=$seconds" -ac 1 -c:a pcm_s16le "$dir/tone.wav"
  cat >"$dir/config" <<EOF
poll_method epoll
sip_listen 127.0.0.1:$(free_sip_port)
sip_transports udp
audio_player aufile,/dev/null
audio_source aufile,$dir/tone.wav
module_path /usr/lib/baresip/modules
module g711.so
module aufile.so
video_source fakevideo,nil
video_display fakevideo,nil
video_size 320x240
video_bitrate 300000
video_fps 15
module fakevideo.so
module vp8.so
module_tmp account.so
EOF
  echo "<sip:${users[$i]}@127.0.0.1:$sip>;auth_pass=fs-${users[$i]}-Sample!;regint=600;answermode=auto" >"$dir/accounts"
  baresip -f "$dir" -t "$seconds" </dev/null >"$dir/log" 2>&1 &
  pids+=("$!")
done

wait_until() { # seconds, description, command...
  local limit=$1 what=$2; shift 2
  for _ in $(seq 1 $(( limit * 5 ))); do "$@" && return 0; sleep 0.2; done
  echo "timed out waiting for $what" >&2; tail -50 "$work/node.log" >&2; exit 1
}
online() { for v in "${venues[@]:0:$terminals}"; do [[ $(curl -sf "${auth[@]}" "$base/api/venues/$v" | json 'd["status"]') == online ]] || return 1; done; }
wait_until 60 "terminals online" online

members=$(printf '"%s",' "${venues[@]:1:$(( terminals - 1 ))}")
session=$(curl -sf "${auth[@]}" -XPOST "$base/api/sessions" -H 'content-type: application/json' \
  -d "{\"title\":\"soak\",\"kind\":\"emergency\",\"chairVenueId\":\"fs-chancheng\",\"venueIds\":[${members%,}]}" | json 'd["id"]')
legs() { curl -sf "${auth[@]}" "$base/api/sessions/$session" | json 'sum(1 for v in d["venues"] if (v.get("media") or {}).get("state") == "connected")'; }
all_connected() { [[ $(legs) == "$terminals" ]]; }
wait_until 60 "all legs connected" all_connected

# The chair: broadcast each venue in turn, toggle one venue's mute and the lock, one action each period.
echo 0 >"$work/actions-ok"; echo 0 >"$work/actions-failed"
(
  ok=0; failed=0; n=0
  while true; do
    case $(( n % 3 )) in
      0) path=broadcast; body="{\"venueId\":\"${venues[$(( (n / 3) % terminals ))]}\"}" ;;
      1) path=mute; body="{\"venueId\":\"${venues[1]}\",\"muted\":$([[ $(( (n / 3) % 2 )) == 0 ]] && echo true || echo false)}" ;;
      2) path=lock; body="{\"locked\":$([[ $(( (n / 3) % 2 )) == 0 ]] && echo true || echo false)}" ;;
    esac
    code=$(curl -s -o /dev/null -w '%{http_code}' -m 10 "${auth[@]}" -XPOST "$base/api/sessions/$session/$path" -H 'content-type: application/json' -d "$body" || true)
    if [[ $code == 200 ]]; then ok=$(( ok + 1 )); else failed=$(( failed + 1 )); echo "$(date +%T) $path $code" >>"$work/failed-actions"; fi
    echo "$ok" >"$work/actions-ok.tmp" && mv "$work/actions-ok.tmp" "$work/actions-ok"
    echo "$failed" >"$work/actions-failed.tmp" && mv "$work/actions-failed.tmp" "$work/actions-failed"
    n=$(( n + 1 ))
    sleep "$action_every"
  done
) &
pids+=("$!")

clk=$(getconf CLK_TCK)
echo "seconds,rss_kb,fds,threads,cpu_seconds,health,legs_connected,packets_in,packets_out,actions_ok,actions_failed" >"$csv"
health_failures=0
stopped=""
start=$(date +%s)
end=$(( start + minutes * 60 ))
echo "soak: node pid $node, session $session, $terminals terminals, $minutes min, sampling every $sample_every s into $csv"
while true; do
  now=$(date +%s)
  if ! kill -0 "$node" 2>/dev/null; then
    wait "$node" 2>/dev/null && code=0 || code=$?
    stopped="the node stopped itself after $(( now - start )) s (exit $code)"
    break
  fi
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$node/status")
  threads=$(awk '/^Threads/ {print $2}' "/proc/$node/status")
  fds=$(ls "/proc/$node/fd" | wc -l)
  cpu=$(awk -v t="$clk" '{printf "%.1f", ($14 + $15) / t}' "/proc/$node/stat")
  health=$(curl -s -o /dev/null -w '%{http_code}' -m 10 "$base/health" || true)
  [[ $health == 200 ]] || health_failures=$(( health_failures + 1 ))
  media=$(curl -sf -m 10 "${auth[@]}" "$base/api/sessions/$session" | json '",".join(str(x) for x in (sum(1 for v in d["venues"] if (v.get("media") or {}).get("state") == "connected"), sum((v.get("media") or {}).get("packetsIn", 0) for v in d["venues"]), sum((v.get("media") or {}).get("packetsOut", 0) for v in d["venues"])))' || echo ",,")
  echo "$(( now - start )),$rss,$fds,$threads,$cpu,$health,$media,$(cat "$work/actions-ok"),$(cat "$work/actions-failed")" | tee -a "$csv"
  (( now < end )) || break
  sleep $(( sample_every - ($(date +%s) - now) > 0 ? sample_every - ($(date +%s) - now) : 1 ))
done

echo
echo "== soak summary ($csv) =="
python3 - "$csv" "$health_failures" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def col(name): return [float(r[name]) for r in rows if r[name] not in ("", None)]
for name, unit in (("rss_kb", "kB"), ("fds", ""), ("threads", "")):
    v = col(name)
    print(f"{name:8} start {v[0]:.0f} end {v[-1]:.0f} max {max(v):.0f} {unit}".rstrip())
cpu = col("cpu_seconds"); t = col("seconds")
if len(cpu) > 1 and t[-1] > t[0]:
    print(f"cpu      {cpu[-1]:.1f} s over {t[-1]:.0f} s ({100 * (cpu[-1] - cpu[0]) / (t[-1] - t[0]):.1f} % of a core after the first sample)")
legs = [r["legs_connected"] for r in rows]
print(f"legs connected at each sample: min {min(legs)} end {legs[-1]}; packets in/out at end {rows[-1]['packets_in']}/{rows[-1]['packets_out']}")
print(f"health failures {sys.argv[2]} of {len(rows)} samples; chair actions ok {rows[-1]['actions_ok']}, failed {rows[-1]['actions_failed']}")
EOF
[[ -f "$work/failed-actions" ]] && { echo "failed actions (first 10):"; head -10 "$work/failed-actions"; }
if [[ -n $stopped ]]; then
  echo "$stopped; last lines of its log:"
  tail -30 "$work/node.log"
  exit 1
fi
