#!/usr/bin/env bash
# CPU of one camera transcode as the bridge runs it (the arguments of src/MediaBridge/Legs/Feeds/FfmpegArguments.cs):
# a 720p camera at 1 Mbit/s, 25 pictures/s, sent as RTP on loopback by a source ffmpeg, transcoded by a second
# ffmpeg whose CPU time is read from /proc/PID/stat over a window after a warm-up.
# Usage: bench/transcode-cpu.sh [SECONDS]   (default 30); prints one line per transcode.
set -euo pipefail
window=${1:-30}
tick=$(getconf CLK_TCK)
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [[ -n ${KEEP:-} ]] || rm -rf "$dir"' EXIT

common=(-hide_banner -nostdin -nostats -loglevel warning -protocol_whitelist pipe,file,udp,rtp -fflags nobuffer -flags low_delay
  -f sdp -i pipe:0 -map 0:v:0 -an -sn -dn -fps_mode passthrough -force_key_frames 'expr:gte(t,n_forced*1)'
  -b:v 1000k -maxrate 1000k -bufsize 1000k)
to_h264=(-c:v libx264 -preset veryfast -tune zerolatency -profile:v baseline -pix_fmt yuv420p -sc_threshold 0)
to_vp8=(-c:v libvpx -deadline realtime -cpu-used 8 -lag-in-frames 0 -auto-alt-ref 0 -error-resilient 1 -pix_fmt yuv420p)

frames() { grep '^frame=' "$1" | tail -1 | cut -d= -f2; }

measure() { # NAME SOURCE_ENCODER_ARGS... -- TRANSCODE_ARGS...
  local name=$1 file; shift
  file=$dir/$(tr -c 'A-Za-z0-9' _ <<<"$name")
  local source=() transcode=()
  while [[ $1 != -- ]]; do source+=("$1"); shift; done; shift
  transcode=("$@")
  local in=$((20000 + RANDOM % 20000 * 2)) out=$((20001 + RANDOM % 20000 * 2))
  ffmpeg -hide_banner -loglevel error -re -f lavfi -i "testsrc2=size=1280x720:rate=25" "${source[@]}" -b:v 1000k -maxrate 1000k -bufsize 1000k \
    -f rtp -sdp_file "$file.sdp" "rtp://127.0.0.1:$in?pkt_size=1200" </dev/null >/dev/null 2>&1 &
  local src=$!
  while [[ ! -s $file.sdp ]]; do sleep 0.1; done
  ffmpeg "${common[@]}" "${transcode[@]}" -progress "$file.progress" -payload_type 96 -f rtp "rtp://127.0.0.1:$out?pkt_size=1200" <"$file.sdp" >/dev/null 2>"$file.err" &
  local pid=$!
  sleep 5
  local a b fa fb
  a=$(awk '{print $14 + $15}' /proc/$pid/stat); fa=$(frames "$file.progress")
  sleep "$window"
  b=$(awk '{print $14 + $15}' /proc/$pid/stat); fb=$(frames "$file.progress")
  kill $pid $src; wait $pid $src 2>/dev/null || true
  awk -v n="$name" -v d=$((b - a)) -v t="$tick" -v w="$window" -v f=$((fb - fa)) \
    'BEGIN { printf "%s: %.1f %% of one core (%.2f CPU-s over %d s, %.1f pictures/s, %.1f ms CPU per picture)\n", n, 100 * d / t / w, d / t, w, f / w, 1000 * d / t / f }'
}

measure "H.265 to H.264, 720p25 1 Mbit/s" -c:v libx265 -preset ultrafast -tune zerolatency -x265-params "keyint=25:repeat-headers=1:log-level=error" -- "${to_h264[@]}"
measure "H.264 to VP8, 720p25 1 Mbit/s" -c:v libx264 -preset ultrafast -tune zerolatency -profile:v baseline -pix_fmt yuv420p -g 25 -- "${to_vp8[@]}"
