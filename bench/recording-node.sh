# Sourced by the bench/recording-*.sh scripts: one all-in-one node (Release, fresh data directory, the Foshan
# sample topology on loopback, an admin user "bench"), with helpers. Extra node arguments come in NODE_ARGS
# (an array); TOPOLOGY_EDIT is Python run on the topology document `doc` before the node reads it.
# Sets: work (temporary folder, removed at exit), base (http://127.0.0.1:PORT), auth (curl's header arguments),
# sip (the bridge's SIP port), pids (processes killed at exit).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v ffmpeg >/dev/null || { echo "ffmpeg is not installed" >&2; exit 2; }

dotnet build src/Command.Silo -c Release -v quiet -nologo >/dev/null
silo=src/Command.Silo/bin/Release/net10.0/Command.Silo.dll
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [[ -n ${KEEP:-} ]] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
free_udp_port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
wait_until() { # seconds, description, command...
  local limit=$1 what=$2; shift 2
  for _ in $(seq 1 $(( limit * 5 ))); do "$@" && return 0; sleep 0.2; done
  echo "timed out waiting for $what" >&2; tail -50 "$work/node.log" >&2; exit 1
}

TOPOLOGY_EDIT=${TOPOLOGY_EDIT:-}
python3 - "$work/topology.json" "$TOPOLOGY_EDIT" <<'PY'
import json, sys
doc = json.load(open("samples/topology/foshan.json"))
doc["sipDomain"] = "127.0.0.1"
for v in doc["venues"]:
    if v.get("sipUser") in ("2101", "2102", "2103", "2104"):
        v["sipDigest"] = "MD5"
exec(sys.argv[2])
json.dump(doc, open(sys.argv[1], "w"), ensure_ascii=False)
PY

port=$(free_port)
base="http://127.0.0.1:$port"
hash=$(echo bench-password | dotnet "$silo" hash-password 2>/dev/null)
NODE_ARGS=("${NODE_ARGS[@]+"${NODE_ARGS[@]}"}")
DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning dotnet "$silo" --urls "$base" \
  --Command:DataDirectory="$work/data" --Command:TopologyFile="$work/topology.json" \
  --Command:SiloPort="$(free_port)" --Command:GatewayPort="$(free_port)" --Command:Bridge:SipAddress=127.0.0.1 --Command:Bridge:SipPort=0 \
  --Command:Auth:Users:0:Name=bench --Command:Auth:Users:0:PasswordHash="$hash" \
  --Command:Auth:Users:0:Role=admin --Command:Auth:Users:0:Region=440000 "${NODE_ARGS[@]}" >"$work/node.log" 2>&1 &
node=$!
pids+=("$node")
for _ in $(seq 1 600); do curl -sf "$base/health" >/dev/null && break; kill -0 "$node" 2>/dev/null || { cat "$work/node.log"; exit 1; }; sleep 0.2; done
token=$(curl -sf -XPOST "$base/api/auth/token" -H 'content-type: application/json' -d '{"username":"bench","password":"bench-password"}' | json 'd["accessToken"]')
auth=(-H "authorization: Bearer $token")
sip=$(curl -sf "$base/health" | json 'd["checks"]["bridge"]["description"]' | sed -E 's/.*SIP on udp\+tcp [^:]+:([0-9]+).*/\1/')

api() { # METHOD PATH [JSON]
  curl -sf "${auth[@]}" -X"$1" "$base$2" -H 'content-type: application/json' ${3:+-d "$3"}
}

# A public session, approved, with the chair and members given; prints "SESSION RECORDING".
public_session() { # TITLE CHAIR [MEMBER...]
  local title=$1 chair=$2; shift 2
  local members=""
  (( $# )) && members=$(printf '"%s",' "$@")
  local created; created=$(api POST /api/sessions "{\"title\":\"$title\",\"kind\":\"emergency\",\"chairVenueId\":\"$chair\",\"venueIds\":[${members%,}],\"autoBackup\":{\"enabled\":false},\"public\":true}")
  local id; id=$(json 'd["id"]' <<<"$created")
  api POST "/api/sessions/$id/publish" '{"approved":true}' >/dev/null
  echo "$id $(json 'd["recordingId"]' <<<"$created")"
}
