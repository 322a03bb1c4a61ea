# A camera stand-in that sends H.265 only: GStreamer's RTSP server on 127.0.0.1 serving x265 test pictures at /cam.
# Usage: rtsp_camera_h265.py PORT [WIDTH HEIGHT FPS KBPS] (default 320x240, 15 pictures/s, 500 kbit/s, a keyframe every second); prints "ready" once it listens.
import sys
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtspServer, GLib

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(sys.argv[1])
width, height, fps, kbps = (sys.argv[2:6] + ["320", "240", "15", "500"][len(sys.argv[2:6]):])
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    f"( videotestsrc is-live=true ! video/x-raw,format=I420,width={width},height={height},framerate={fps}/1 "
    f"! x265enc tune=zerolatency speed-preset=ultrafast key-int-max={fps} bitrate={kbps} "
    "! rtph265pay name=pay0 pt=96 config-interval=-1 mtu=1200 )")
factory.set_shared(True)
server.get_mount_points().add_factory("/cam", factory)
if server.attach(None) == 0:
    print("failed", flush=True)
    sys.exit(1)
print("ready", flush=True)
GLib.MainLoop().run()
