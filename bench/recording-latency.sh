#!/usr/bin/env bash
# Glass-to-glass latency of the public live stream (see bench/recording-latency.mjs for how it is read): one node,
# a baresip chair speaking H.264 (so the recorder copies the picture, as for most terminals), and a pushed RTP
# camera broadcast in the session whose picture carries its frame number as 24 black-or-white blocks along the top.
# The session is approved public; the public playlist, /live.html in Chromium and a tuned hls.js are read.
# Usage: bench/recording-latency.sh [SECONDS] [SEGMENT_SECONDS]   (default 60 s, 2 s segments)
window=${1:-60}
segment=${2:-2}
command -v baresip >/dev/null && [[ -f /usr/lib/baresip/modules/avcodec.so ]] || { echo "baresip with H.264 is not installed (apt-get install baresip-core baresip-ffmpeg)" >&2; exit 2; }
command -v node >/dev/null || { echo "node is not installed" >&2; exit 2; }
camport=$(python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
TOPOLOGY_EDIT="
for f in doc['feeds']:
    if f['id'] == 'cam-sanfang-sixianjiao-01':
        f['url'] = 'rtp://127.0.0.1:$camport'"
NODE_ARGS=("--Command:Recording:SegmentSeconds=$segment")
source "$(dirname "$0")/recording-node.sh"

start_terminal 2101 500 $(( window + 300 )) avcodec.so
online() { [[ $(api GET /api/venues/fs-chancheng | json 'd["status"]') == online ]]; }
wait_until 60 "the chair's terminal online" online

read -r session recording < <(public_session "latency" fs-chancheng)
api POST "/api/sessions/$session/feeds" '{"feedId":"cam-sanfang-sixianjiao-01"}' >/dev/null
blocks="if(lt(Y,24)*lt(X,576),if(mod(floor(N/pow(2,floor(X/24))),2),235,16),128)"
ffmpeg -hide_banner -loglevel error -re -f lavfi -i "color=c=gray:size=640x360:rate=25" -vf "format=gray,geq=lum='$blocks',format=yuv420p" \
  -c:v libx264 -preset ultrafast -tune zerolatency -profile:v baseline -g 25 -b:v 800k -progress "$work/source.progress" \
  -f rtp "rtp://127.0.0.1:$camport?pkt_size=1200" </dev/null >/dev/null 2>"$work/source.err" &
pids+=("$!")
api POST "/api/sessions/$session/broadcast" '{"feedId":"cam-sanfang-sixianjiao-01"}' >/dev/null
segments() { [[ $(curl -sf "$base/api/public/broadcasts/$session/hls/index.m3u8" | grep -c '^part-') -ge 3 ]]; }
wait_until 90 "three public segments" segments

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); ${segment} s segments; camera 640x360 at 25/s, keyframe every second; reading for ${window} s"
node --experimental-websocket bench/recording-latency.mjs "$base" "$session" "$work/source.progress" 25 "$window"
echo "load $(cut -d' ' -f1-3 /proc/loadavg) at end"
