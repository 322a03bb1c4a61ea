#!/usr/bin/env bash
# Measures how long an embedded node takes to serve its API after a cold start on an empty data
# directory, and after a kill -9 with live state (time until the same session is served again).
# Usage: bench/node-restart.sh [rounds]   (Release build; prints one line per round and a summary)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
dotnet build src/Command.Silo -c Release -v quiet -nologo >/dev/null
dll=src/Command.Silo/bin/Release/net10.0/Command.Silo.dll
work=$(mktemp -d)
trap 'pkill -9 -f "$dll" 2>/dev/null || true; rm -rf "$work"' EXIT

now() { date +%s.%N; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
start() {
  DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning dotnet "$dll" --urls "http://127.0.0.1:$1" \
    --Command:DataDirectory="$2" --Command:SiloPort="$(free_port)" --Command:GatewayPort="$(free_port)" --Command:Bridge:SipAddress=127.0.0.1 --Command:Bridge:SipPort=0 >"$work/log" 2>&1 &
  echo $!
}
wait_for() { until curl -sf "$1" >/dev/null; do sleep 0.02; done; }

cold=(); warm=()
for i in $(seq 1 "$rounds"); do
  data="$work/data-$i"; port=$(free_port)
  t0=$(now); pid=$(start "$port" "$data"); wait_for "http://127.0.0.1:$port/health"; t1=$(now)
  id=$(curl -sf -XPOST "http://127.0.0.1:$port/api/sessions" -H 'content-type: application/json' \
    -d '{"title":"bench","kind":"emergency","chairVenueId":"fs-main","venueIds":["fs-chancheng","fs-nanhai"]}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')
  curl -sf -XPOST "http://127.0.0.1:$port/api/sessions/$id/broadcast" -H 'content-type: application/json' -d '{"venueId":"fs-nanhai"}' >/dev/null
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  t2=$(now); pid=$(start "$port" "$data"); wait_for "http://127.0.0.1:$port/api/sessions/$id"; t3=$(now)
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  c=$(echo "$t1 - $t0" | bc); w=$(echo "$t3 - $t2" | bc)
  cold+=("$c"); warm+=("$w")
  printf 'round %d: cold start to healthy %.2f s, kill -9 to same session served %.2f s\n' "$i" "$c" "$w"
done
summary() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "median %.2f s, min %.2f s, max %.2f s", a[int((NR+1)/2)], a[1], a[NR]}'; }
echo "cold start:        $(summary "${cold[@]}")"
echo "kill -9 restart:   $(summary "${warm[@]}")"
