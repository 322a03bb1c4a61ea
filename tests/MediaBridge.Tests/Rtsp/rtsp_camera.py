# A camera stand-in: GStreamer's RTSP server on 127.0.0.1 serving H.264 test pictures at /cam.
# Usage: rtsp_camera.py PORT [FPS [KEYINT [WIDTHxHEIGHT [USER:PASSWORD [KBPS]]]]]
# (default 25 pictures/s, a keyframe every 25, 320x240, no auth, 500 kbit/s); with USER:PASSWORD only
# a client answering the digest challenge may play it. Prints "ready" once it listens.
import sys
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtsp, GstRtspServer, GLib

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(sys.argv[1])
fps = sys.argv[2] if len(sys.argv) > 2 else "25"
keyint = sys.argv[3] if len(sys.argv) > 3 else "25"
width, height = (sys.argv[4] if len(sys.argv) > 4 else "320x240").split("x")
credentials = sys.argv[5] if len(sys.argv) > 5 else ""
kbps = sys.argv[6] if len(sys.argv) > 6 else "500"
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    f"( videotestsrc is-live=true ! video/x-raw,width={width},height={height},framerate={fps}/1 "
    f"! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={keyint} bitrate={kbps} "
    "! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=-1 mtu=1200 )")
factory.set_shared(True)
if credentials:
    user, password = credentials.split(":", 1)
    auth = GstRtspServer.RTSPAuth()
    auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
    token = GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", user)
    auth.add_digest(user, password, token)
    server.set_auth(auth)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_role_from_structure(Gst.Structure.from_string(
        f"{user}, media.factory.access=(boolean)true, media.factory.construct=(boolean)true")[0])
    factory.set_permissions(permissions)
server.get_mount_points().add_factory("/cam", factory)
if server.attach(None) == 0:
    print("failed", flush=True)
    sys.exit(1)
print("ready", flush=True)
GLib.MainLoop().run()
