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

dir="$work/baresip"; mkdir -p "$dir"
ffmpeg -loglevel error -f lavfi -i "sine=frequency=500:sample_rate=8000:duration=$(( window + 300 ))" -ac 1 -c:a pcm_s16le "$dir/tone.wav"
cat >"$dir/config" <<CONF
poll_method epoll
sip_listen 127.0.0.1:$(free_udp_port)
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
module avcodec.so
module_tmp account.so
CONF
echo "<sip:2101@127.0.0.1:$sip>;auth_pass=fs-2101-Sample!;regint=600;answermode=auto" >"$dir/accounts"
baresip -f "$dir" -t $(( window + 300 )) </dev/null >"$dir/log" 2>&1 &
pids+=("$!")
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
