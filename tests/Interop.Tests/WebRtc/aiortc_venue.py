"""A scripted browser venue on aiortc: sends a tone and a moving test picture, reports what it receives.

Speaks JSON lines on stdio so the test owns all HTTP: it prints {"offer": sdp}, reads {"answer": sdp},
then prints a status line every half second until stdin closes or the time limit passes. Told
{"rejoin": true}, as a page is when its session moves to another bridge, it drops its connection,
prints a fresh offer and waits for its answer; what it decodes keeps counting across joins.
"""
import asyncio
import fractions
import json
import math
import sys
import threading
import time

import numpy
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, MediaStreamTrack, VideoStreamTrack
from av import AudioFrame, VideoFrame


class Tone(AudioStreamTrack):
    """A sine tone at 48 kHz in 20 ms frames."""

    def __init__(self, hz):
        super().__init__()
        self.hz = hz
        self.sample = 0

    async def recv(self):
        frame = await super().recv()
        count = frame.samples
        t = (numpy.arange(count) + self.sample) / frame.sample_rate
        self.sample += count
        pcm = (numpy.sin(2 * math.pi * self.hz * t) * 8000).astype(numpy.int16)
        tone = AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        tone.sample_rate = frame.sample_rate
        tone.pts = frame.pts
        tone.time_base = frame.time_base
        return tone


class Picture(VideoStreamTrack):
    """A 320x240 picture whose colour bar moves, so every frame differs."""

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        image = numpy.zeros((240, 320, 3), numpy.uint8)
        x = (pts // 3000) % 320
        image[:, max(0, x - 20):x, :] = (255, 200, 0)
        frame = VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts = pts
        frame.time_base = time_base
        return frame


class Meter:
    """What arrives: decoded video frames and their size, decoded audio and the strength of a few tones."""

    def __init__(self, tones):
        self.video = 0
        self.size = None
        self.size_at = None
        self.audio = 0
        self.tones = tones
        self.power = {hz: 0.0 for hz in tones}
        self.window = []

    async def watch(self, track: MediaStreamTrack):
        while True:
            try:
                frame = await track.recv()
            except Exception:
                return
            if track.kind == "video":
                self.video += 1
                if self.size != [frame.width, frame.height]:
                    # When a new picture was first decoded (Unix ms), for a switch timed end to end.
                    self.size_at = round(time.time() * 1000)
                self.size = [frame.width, frame.height]
            else:
                self.audio += 1
                pcm = frame.to_ndarray().astype(numpy.float64).reshape(-1)
                channels = len(frame.layout.channels)
                mono = pcm[::channels]
                self.window.extend(mono.tolist())
                rate = frame.sample_rate
                if len(self.window) >= rate // 2:
                    block = numpy.array(self.window[: rate // 2])
                    self.window = self.window[rate // 2:]
                    t = numpy.arange(len(block)) / rate
                    for hz in self.tones:
                        # Goertzel-like projection: the tone's share of the block.
                        c = numpy.dot(block, numpy.cos(2 * math.pi * hz * t))
                        s = numpy.dot(block, numpy.sin(2 * math.pi * hz * t))
                        self.power[hz] = math.sqrt(c * c + s * s) / len(block)


async def main():
    tone_hz = int(sys.argv[1])
    listen = [int(x) for x in sys.argv[2].split(",")]
    limit = float(sys.argv[3])
    meter = Meter(listen)
    loop = asyncio.get_event_loop()
    lines = asyncio.Queue()

    def pump():
        for line in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, None)

    threading.Thread(target=pump, daemon=True).start()

    async def join():
        pc = RTCPeerConnection()
        pc.addTrack(Tone(tone_hz))
        pc.addTrack(Picture())

        @pc.on("track")
        def on_track(track):
            asyncio.ensure_future(meter.watch(track))

        await pc.setLocalDescription(await pc.createOffer())
        print(json.dumps({"offer": pc.localDescription.sdp}), flush=True)
        return pc

    current = {"pc": await join(), "joins": 1}

    async def report():
        started = loop.time()
        while loop.time() - started < limit:
            await asyncio.sleep(0.5)
            pc = current["pc"]
            print(json.dumps({
                "ice": pc.iceConnectionState, "state": pc.connectionState, "joins": current["joins"],
                "video": meter.video, "size": meter.size, "sizeAt": meter.size_at, "audio": meter.audio,
                "tones": {str(k): round(v, 1) for k, v in meter.power.items()},
            }), flush=True)

    reporting = None
    while reporting is None or not reporting.done():
        try:
            line = await asyncio.wait_for(lines.get(), 0.5)
        except asyncio.TimeoutError:
            continue
        if line is None:
            break
        if not line.strip():
            continue
        message = json.loads(line)
        if "answer" in message:
            await current["pc"].setRemoteDescription(RTCSessionDescription(sdp=message["answer"], type="answer"))
            if reporting is None:
                reporting = asyncio.ensure_future(report())
        elif message.get("rejoin"):
            await current["pc"].close()
            current["pc"] = await join()
            current["joins"] += 1
    await current["pc"].close()


asyncio.run(main())
