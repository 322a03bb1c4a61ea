# A camera stand-in: GStreamer's RTSP server on 127.0.0.1 serving H.264 test pictures at /cam.
# Usage: rtsp_camera.py PORT [FPS [KEYINT]] (default 25 pictures/s, a keyframe every 25); prints "ready" once it listens.
import sys
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtspServer, GLib

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(sys.argv[1])
fps = sys.argv[2] if len(sys.argv) > 2 else "25"
keyint = sys.argv[3] if len(sys.argv) > 3 else "25"
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    f"( videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate={fps}/1 "
    f"! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={keyint} bitrate=500 "
    "! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=-1 mtu=1200 )")
factory.set_shared(True)
server.get_mount_points().add_factory("/cam", factory)
if server.attach(None) == 0:
    print("failed", flush=True)
    sys.exit(1)
print("ready", flush=True)
GLib.MainLoop().run()
