namespace MediaBridge.Srtp;

/// <summary>
/// Key, salt and tag sizes of each <see cref="SrtpProfile"/> (RFC 5764 §4.1.2, RFC 7714 §14.2),
/// so DTLS keying material (RFC 5764 §4.2) can be split into master keys and salts.
/// </summary>
public static class SrtpProfiles
{
    public static int KeyLength(SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1_80 or SrtpProfile.AeadAes128Gcm => 16,
        _ => throw Unknown(profile),
    };

    public static int SaltLength(SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1_80 => 14,
        SrtpProfile.AeadAes128Gcm => 12,
        _ => throw Unknown(profile),
    };

    /// <summary>Bytes of authentication tag on each SRTP and SRTCP packet.</summary>
    public static int TagLength(SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1_80 => 10,
        SrtpProfile.AeadAes128Gcm => 16,
        _ => throw Unknown(profile),
    };

    public static ushort DtlsId(SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1_80 or SrtpProfile.AeadAes128Gcm => (ushort)profile,
        _ => throw Unknown(profile),
    };

    /// <summary>The profile a DTLS use_srtp extension names, or null for one the bridge does not support.</summary>
    public static SrtpProfile? FromDtlsId(ushort id) => (SrtpProfile)id switch
    {
        SrtpProfile.AesCm128HmacSha1_80 => SrtpProfile.AesCm128HmacSha1_80,
        SrtpProfile.AeadAes128Gcm => SrtpProfile.AeadAes128Gcm,
        _ => null,
    };

    private static ArgumentOutOfRangeException Unknown(SrtpProfile profile) =>
        new(nameof(profile), profile, "Not a supported SRTP protection profile.");
}
