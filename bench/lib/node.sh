# Sourced by bench scripts: one all-in-one node (Release, fresh data directory, the Foshan sample topology on
# loopback with MD5 digests for baresip, an admin user "bench"), healthy and signed in, with helpers.
# Extra node arguments come in NODE_ARGS (an array); TOPOLOGY_EDIT is Python run on the topology document `doc`
# before the node reads it. KEEP=1 keeps the work folder.
# Sets: work (temporary folder, removed at exit), base (http://127.0.0.1:PORT), node (its pid), auth (curl's header
# arguments), sip (the bridge's SIP port), pids (processes killed at exit; add your own).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

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
# A UDP port for baresip's SIP with the same port free on TCP and the next one free too (its TLS listener).
free_sip_port() {
  python3 - <<'PY'
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
PY
}
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

# A baresip venue terminal of the sample topology answering by itself: a TONE Hz microphone lasting SECONDS and a
# 320x240 test picture coded by VIDEO_MODULE (vp8.so, or avcodec.so for H.264). Its folder is $work/baresip-USER.
start_terminal() { # USER TONE SECONDS [VIDEO_MODULE]
  local user=$1 tone=$2 seconds=$3 video=${4:-vp8.so}
  local dir="$work/baresip-$user"; mkdir -p "$dir"
  ffmpeg -loglevel error -f lavfi -i "sine=frequency=$tone:sample_rate=8000:duration=$seconds" -ac 1 -c:a pcm_s16le "$dir/tone.wav"
  cat >"$dir/config" <<CONF
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
module $video
module_tmp account.so
CONF
  echo "<sip:$user@127.0.0.1:$sip>;auth_pass=fs-$user-Sample!;regint=600;answermode=auto" >"$dir/accounts"
  baresip -f "$dir" -t "$seconds" </dev/null >"$dir/log" 2>&1 &
  pids+=("$!")
}
