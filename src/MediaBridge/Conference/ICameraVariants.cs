using MediaBridge.Sdp;

namespace MediaBridge.Conference;

/// <summary>
/// Cameras in another codec than their own, for sessions whose video cannot be the camera's: one variant
/// per camera and codec, shared by every such session, held from the first acquire to the last release.
/// </summary>
public interface ICameraVariants
{
    /// <summary>The camera's picture in <paramref name="codec"/>, or null when it cannot be made.</summary>
    CameraFeed? Acquire(CameraFeed camera, VideoCodec codec);

    void Release(CameraFeed camera, VideoCodec codec);
}
