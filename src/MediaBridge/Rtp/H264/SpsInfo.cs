namespace MediaBridge.Rtp.H264;

/// <summary>What a sequence parameter set says of the picture: profile, level and the cropped size in pixels.</summary>
public sealed record SpsInfo(int ProfileIdc, bool ConstrainedBaseline, int LevelIdc, int Width, int Height)
{
    /// <summary>The profile's name (H.264 Annex A), or its number when it has none here.</summary>
    public string Profile => ProfileIdc switch
    {
        66 when ConstrainedBaseline => "Constrained Baseline",
        66 => "Baseline",
        77 => "Main",
        88 => "Extended",
        100 => "High",
        110 => "High 10",
        122 => "High 4:2:2",
        244 => "High 4:4:4",
        _ => $"profile {ProfileIdc}",
    };

    /// <summary>As a feed reports its codec, e.g. "H264 High L3.1".</summary>
    public string Describe() => $"H264 {Profile} L{LevelIdc / 10}.{LevelIdc % 10}";
}
