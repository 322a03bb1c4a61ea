namespace MediaBridge.Srtp;

/// <summary>What computes the ciphers and MACs of an <see cref="SrtpSession"/>.</summary>
public enum SrtpCryptoProvider
{
    /// <summary>.NET's own AES and HMAC: always there, but several times the per-packet cost.</summary>
    Managed,

    /// <summary>
    /// The system OpenSSL 3 libcrypto, with contexts keyed once per session and reused for every packet; AES-CM's
    /// keystream comes straight from the CPU's AES instructions where it has them, which restart per packet for free.
    /// </summary>
    LibCrypto,
}
