namespace MediaBridge.Srtp;

/// <summary>
/// The SRTP protection profiles the bridge offers in DTLS-SRTP; each value is the profile's
/// two-byte identifier on the wire (RFC 5764 §4.1.2, RFC 7714 §14.2).
/// </summary>
public enum SrtpProfile : ushort
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80: AES-128 counter mode, 80-bit HMAC-SHA1 tag (RFC 3711 §4.1.1, §4.2.1).</summary>
    AesCm128HmacSha1_80 = 0x0001,

    /// <summary>SRTP_AEAD_AES_128_GCM: AES-128 in GCM with a 128-bit tag (RFC 7714).</summary>
    AeadAes128Gcm = 0x0007,
}
