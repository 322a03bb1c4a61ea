namespace MediaBridge.Sdp;

/// <summary>The one video codec a session switches (no transcoding: every leg must speak it).</summary>
public enum VideoCodec
{
    None,
    H264,
    Vp8,
}
