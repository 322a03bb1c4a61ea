namespace MediaBridge.Srtp;

/// <summary>
/// The SRTP key derivation function at key derivation rate zero (RFC 3711 §4.3.1) with the
/// AES-CM PRF (§4.3.3); AEAD_AES_128_GCM derives its keys the same way (RFC 7714 §12).
/// </summary>
internal static class SrtpKeyDerivation
{
    public const byte RtpEncryption = 0x00;
    public const byte RtpAuthentication = 0x01;
    public const byte RtpSalt = 0x02;
    public const byte RtcpEncryption = 0x03;
    public const byte RtcpAuthentication = 0x04;
    public const byte RtcpSalt = 0x05;

    /// <summary>Fills <paramref name="output"/> with PRF(master key, (label || r) XOR master salt) for r = 0.</summary>
    /// <param name="prf">AES-CM keyed with the master key.</param>
    /// <param name="masterSalt">14 bytes, or 12 for GCM, which is zero-padded on the right as libsrtp and browsers do.</param>
    public static void Derive(AesCounterMode prf, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        // key_id = label || 48-bit r, right-aligned against the 112-bit salt, puts the label in byte 7.
        Span<byte> iv = stackalloc byte[AesCounterMode.BlockLength];
        iv.Clear();
        masterSalt.CopyTo(iv);
        iv[7] ^= label;
        output.Clear();
        prf.Apply(iv, output);
    }
}
