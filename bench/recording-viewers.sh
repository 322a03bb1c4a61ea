#!/usr/bin/env bash
# Anonymous viewers served: wrk against a live public broadcast's playlist and one of its segments, as /live.html
# (hls.js) fetches them, beside a reference static server (python3 -m http.server) serving the same files in the
# same run, so the ratio says what the node's gate (approved public? which recording?) and playlist joining cost.
# The recording is a real 720p H.264 HLS part written by ffmpeg where the bridge writes it; no CDN or cache in front.
# Usage: bench/recording-viewers.sh [SECONDS] [CONNECTIONS]   (default 20 s, 50); needs wrk (apt-get install wrk).
window=${1:-20}
connections=${2:-50}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
source "$(dirname "$0")/recording-node.sh"

read -r session recording < <(public_session "viewers" fs-chancheng fs-nanhai)
part="$work/data/recordings/$recording/part-1"
mkdir -p "$part"
ffmpeg -hide_banner -loglevel error -f lavfi -i "testsrc2=size=1280x720:rate=25" -f lavfi -i "sine=frequency=800:sample_rate=48000" -t 20 \
  -c:v libx264 -preset veryfast -g 50 -b:v 1500k -pix_fmt yuv420p -c:a aac -b:a 96k \
  -f hls -hls_time 2 -hls_list_size 0 -hls_segment_type mpegts -hls_segment_filename "$part/seg-%05d.ts" "$part/index.m3u8"
static="$work/static"
mkdir -p "$static"
cp -r "$part" "$static/part-1"
sport=$(free_port)
(cd "$static" && exec python3 -m http.server "$sport" --bind 127.0.0.1 >/dev/null 2>&1) &
pids+=("$!")
wait_until 10 "the static server" curl -sf "http://127.0.0.1:$sport/part-1/index.m3u8" -o /dev/null

playlist="$base/api/public/broadcasts/$session/hls/index.m3u8"
segment="$base/api/public/broadcasts/$session/hls/part-1/seg-00003.ts"
curl -sf -o /dev/null "$playlist" && curl -sf -o /dev/null "$segment" || { echo "the public broadcast is not served" >&2; exit 1; }
[[ $(curl -s -o /dev/null -w '%{http_code}' "$base/api/sessions") == 401 ]] || { echo "anonymous is not refused elsewhere" >&2; exit 1; }
bytes=$(stat -c %s "$part/seg-00003.ts")

run() { # NAME URL
  local out; out=$(wrk -t2 -c"$connections" -d"${window}s" --latency "$2")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | tr '\n' ';' || true)
  printf '%-44s %9s req/s   p50 %8s   p99 %8s   %s\n' "$1" "$rps" "$p50" "$p99" "${errors:-no errors}"
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c$connections -d${window}s on the same machine; segment $bytes bytes, playlist of $(grep -c '^seg-' "$part/index.m3u8") segments"
run "node: public playlist (live session)" "$playlist"
run "static: same playlist (python http.server)" "http://127.0.0.1:$sport/part-1/index.m3u8"
run "node: public segment" "$segment"
run "static: same segment (python http.server)" "http://127.0.0.1:$sport/part-1/seg-00003.ts"
echo "load $(cut -d' ' -f1-3 /proc/loadavg) at end"
