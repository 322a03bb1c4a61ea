#!/usr/bin/env bash
# Starts an embedded node (Release) with one admin user and measures chair action → SignalR push
# latency over 1,000 broadcasts, after 4,000 in a warm-up session (CONTROL_SAME_SESSION=1: in the measured one).
# Usage: bench/control-latency.sh [changes] [warm-up changes]
set -euo pipefail
cd "$(dirname "$0")/.."
changes=${1:-1000}
dotnet build src/Command.Silo -c Release -v quiet -nologo >/dev/null
dotnet build bench/ControlLatency -c Release -v quiet -nologo >/dev/null
silo=src/Command.Silo/bin/Release/net10.0/Command.Silo.dll
work=$(mktemp -d)
trap 'kill -9 $pid 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
port=$(free_port)
hash=$(echo bench-password | dotnet "$silo" hash-password 2>/dev/null)
DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning dotnet "$silo" --urls "http://127.0.0.1:$port" \
  --Command:DataDirectory="$work/data" --Command:SiloPort="$(free_port)" --Command:GatewayPort="$(free_port)" --Command:Bridge:SipAddress=127.0.0.1 --Command:Bridge:SipPort=0 \
  --Command:Auth:Users:0:Name=bench --Command:Auth:Users:0:PasswordHash="$hash" \
  --Command:Auth:Users:0:Role=admin --Command:Auth:Users:0:Region=440000 >"$work/log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done
dotnet bench/ControlLatency/bin/Release/net10.0/ControlLatency.dll "http://127.0.0.1:$port" bench bench-password "$changes" ${2:-4000}
