#!/usr/bin/env bash
# CPU of one recording as the bridge writes it: the recorder's own ffmpeg command line (see
# src/MediaBridge/Legs/Recorders/FfmpegArguments.cs and RecordingSdp.cs: RTP in through an SDP file, HLS out
# with 2 s MPEG-TS segments, AAC sound) fed over loopback RTP by a source ffmpeg playing a venue: a test picture
# with Opus sound, in H.264 (the recorder copies it) or VP8 (the recorder codes it once to H.264). The recorder's
# CPU time is read from /proc/PID/stat over a window after a warm-up and given as CPU-seconds per minute of recording.
# Usage: bench/recording-cpu.sh [SECONDS] [SIZE]   (default 60 s, 1280x720; CASES="H264 VP8" picks the cases); prints one line per case.
set -euo pipefail
window=${1:-60}
size=${2:-1280x720}
tick=$(getconf CLK_TCK)
dir=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; [[ -n ${KEEP:-} ]] || rm -rf "$dir"' EXIT

# The media a playlist lists, in seconds (the CPU is divided by what was recorded, not by the wall clock, since a
# loaded machine's source may fall behind real time).
media() { awk -F'[:,]' '/^#EXTINF:/ { s += $2 } END { printf "%.3f", s }' "$1" 2>/dev/null || echo 0; }

measure() { # NAME CODEC(H264|VP8) SOURCE_VIDEO_ARGS...
  local name=$1 codec=$2; shift 2
  local part=$dir/$codec; mkdir -p "$part"
  local audio=$((20000 + RANDOM % 10000 * 2)) video=$((40000 + RANDOM % 10000 * 2))
  local pt=96 rtpmap="H264/90000" fmtp="a=fmtp:96 packetization-mode=1"$'\r\n'
  [[ $codec == VP8 ]] && { pt=97; rtpmap="VP8/90000"; fmtp=""; }
  printf 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=Command recording\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio %d RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\na=recvonly\r\nm=video %d RTP/AVP %d\r\na=rtpmap:%d %s\r\n%sa=recvonly\r\n' \
    "$audio" "$video" "$pt" "$pt" "$rtpmap" "$fmtp" >"$part/rec.sdp"
  local recorder=(-hide_banner -loglevel warning -nostats -y -protocol_whitelist file,udp,rtp -listen_timeout 5 -fflags +genpts
    -i "$part/rec.sdp" -map 0:a -map 0:v)
  if [[ $codec == H264 ]]; then recorder+=(-c:v copy); else
    recorder+=(-c:v libx264 -preset veryfast -tune zerolatency -pix_fmt yuv420p -force_key_frames 'expr:gte(t,n_forced*2)'); fi
  recorder+=(-c:a aac -b:a 96k -ar 48000 -max_muxing_queue_size 1024 -f hls -hls_time 2 -hls_list_size 0 -hls_playlist_type event
    -hls_segment_type mpegts -hls_flags append_list+independent_segments+temp_file -hls_segment_filename "$part/seg-%05d.ts" "$part/index.m3u8")
  ffmpeg "${recorder[@]}" </dev/null >/dev/null 2>"$part/recorder.err" &
  local pid=$!
  sleep 1
  ffmpeg -hide_banner -loglevel error -re -f lavfi -i "testsrc2=size=$size:rate=25" -f lavfi -i "sine=frequency=800:sample_rate=48000" \
    -map 0:v "$@" -payload_type "$pt" -f rtp "rtp://127.0.0.1:$video?pkt_size=1200" \
    -map 1:a -c:a libopus -b:a 32k -payload_type 111 -f rtp "rtp://127.0.0.1:$audio?pkt_size=1200" </dev/null >/dev/null 2>"$part/source.err" &
  local src=$!
  sleep 8
  local a b ma mb
  a=$(awk '{print $14 + $15}' /proc/$pid/stat); ma=$(media "$part/index.m3u8")
  sleep "$window"
  b=$(awk '{print $14 + $15}' /proc/$pid/stat); mb=$(media "$part/index.m3u8")
  kill -INT $src; wait $src 2>/dev/null || true
  sleep 6; kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  local segments; segments=$(grep -c '^seg-' "$part/index.m3u8" || true)
  awk -v n="$name" -v d=$((b - a)) -v t="$tick" -v w="$window" -v s="$segments" -v m="$(awk -v a="$ma" -v b="$mb" 'BEGIN { print b - a }')" \
    'BEGIN { printf "%s: %.2f CPU-s per minute of recording (%.2f CPU-s over %d s of wall clock, %.1f %% of one core, while %.1f s of media were written; %d segments in all)\n", n, 60 * d / t / m, d / t, w, 100 * d / t / w, m, s }'
}

h264=(-c:v libx264 -preset ultrafast -tune zerolatency -profile:v baseline -pix_fmt yuv420p -g 50 -b:v 1500k -maxrate 1500k -bufsize 1500k)
vp8=(-c:v libvpx -deadline realtime -cpu-used 8 -lag-in-frames 0 -auto-alt-ref 0 -error-resilient 1 -pix_fmt yuv420p -g 50 -b:v 1500k)
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at start; picture $size at 25/s, 1.5 Mbit/s; sound Opus 48 kHz"
[[ ${CASES:-H264 VP8} == *H264* ]] && measure "remux (H.264 session), $size" H264 "${h264[@]}"
[[ ${CASES:-H264 VP8} == *VP8* ]] && measure "transcode (VP8 session, VP8 to H.264), $size" VP8 "${vp8[@]}"
echo "load $(cut -d' ' -f1-3 /proc/loadavg) at end"
