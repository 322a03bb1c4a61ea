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

# The shortest checkpoint period the node accepts (fractions of a minute where it takes them), so
# a run goes through many checkpoints.
shortest=1
grep -q 'double CheckpointMinutes' src/Command.Silo/Hosting/CommandOptions.cs && shortest=0.05
NODE_ARGS=("--Command:CheckpointMinutes=${SOAK_CHECKPOINT_MINUTES:-$shortest}")
source bench/lib/node.sh

# Terminals: a tone as microphone (long enough for the whole run) and a VP8 test picture, answering by themselves.
venues=(fs-chancheng fs-nanhai fs-shunde fs-sanshui)
users=(2101 2102 2103 2104)
tones=(500 1100 700 900)
seconds=$(( minutes * 60 + 300 ))
for i in $(seq 0 $(( terminals - 1 ))); do
  start_terminal "${users[$i]}" "${tones[$i]}" "$seconds"
done

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
