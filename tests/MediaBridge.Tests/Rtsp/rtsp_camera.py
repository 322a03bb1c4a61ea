# A camera stand-in: GStreamer's RTSP server on 127.0.0.1 serving H.264 test pictures at /cam.
# Usage: rtsp_camera.py PORT; prints "ready" once it listens.
import sys
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtspServer, GLib

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(sys.argv[1])
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    "( videotestsrc is-live=true ! video/x-raw,width=320,height=240,framerate=25/1 "
    "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 bitrate=500 "
    "! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=-1 mtu=1200 )")
factory.set_shared(True)
server.get_mount_points().add_factory("/cam", factory)
if server.attach(None) == 0:
    print("failed", flush=True)
    sys.exit(1)
print("ready", flush=True)
GLib.MainLoop().run()
