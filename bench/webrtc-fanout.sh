#!/usr/bin/env bash
# One WebRTC publisher fanned out to N subscribers through this bridge and through Janus's video
# room, one after the other in one run, with the same load generator (bench/WebRtcFanout).
# Usage: bench/webrtc-fanout.sh [rate-pps] [seconds] [subscriber counts...]   (needs apt-get install janus)
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-500}
seconds=${2:-10}
shift $(( $# > 2 ? 2 : $# ))
counts=("${@:-4 8 16 24}")
command -v janus >/dev/null || { echo "janus is not installed (apt-get install janus)"; exit 1; }
dotnet build src/Command.Silo -c Release -v quiet -nologo >/dev/null
dotnet build bench/WebRtcFanout -c Release -v quiet -nologo >/dev/null
silo=src/Command.Silo/bin/Release/net10.0/Command.Silo.dll
tool=bench/WebRtcFanout/bin/Release/net10.0/WebRtcFanout.dll
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
hash=$(echo bench-password | dotnet "$silo" hash-password 2>/dev/null)

start_bridge() {
  port=$(free_port)
  DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning dotnet "$silo" --urls "http://127.0.0.1:$port" \
    --Command:DataDirectory="$work/data-$1" --Command:SiloPort="$(free_port)" --Command:GatewayPort="$(free_port)" \
    --Command:Bridge:SipAddress=127.0.0.1 --Command:Bridge:SipPort=0 \
    --Command:Auth:Users:0:Name=bench --Command:Auth:Users:0:PasswordHash="$hash" \
    --Command:Auth:Users:0:Role=admin --Command:Auth:Users:0:Region=440000 >"$work/bridge-$1.log" 2>&1 &
  bridge_pid=$!
  pids+=("$bridge_pid")
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done
  bridge_url="http://127.0.0.1:$port"
}

# Janus (libnice) never gathers loopback candidates, so it runs in a network namespace of its own, as a full
# ICE agent with a veth address; the load generator runs there too, and no packet leaves this machine.
run_janus() {
  local dir="$work/janus-$1"
  mkdir -p "$dir"
  cp /etc/janus/janus.jcfg /etc/janus/janus.plugin.videoroom.jcfg "$dir/"
  sed -e 's/#ip = "192.168.0.1"/ip = "127.0.0.1"/' -e 's/https = true/https = false/' \
    /etc/janus/janus.transport.http.jcfg >"$dir/janus.transport.http.jcfg"
  unshare -n bash -c "
    ip link set lo up && ip link add v0 type veth peer name v1 && ip addr add 10.255.0.1/24 dev v0 && ip link set v0 up && ip link set v1 up
    janus -F '$dir' -C '$dir/janus.jcfg' --ice-enforce-list=v0 -r 40000-40999 -d 2 -o >'$dir.log' 2>&1 &
    jpid=\$!
    until curl -sf http://127.0.0.1:8088/janus/info >/dev/null; do sleep 0.1; done
    FANOUT_ADDRESS=10.255.0.1 dotnet '$tool' janus http://127.0.0.1:8088 \$jpid $1 $rate $seconds || tail -20 '$dir.log'
    kill -9 \$jpid"
}

for n in ${counts[@]}; do
  start_bridge "$n"
  dotnet "$tool" bridge "$bridge_url" bench bench-password "$bridge_pid" "$n" "$rate" "$seconds" || tail -20 "$work/bridge-$n.log"
  kill -9 "$bridge_pid"
  run_janus "$n"
done
