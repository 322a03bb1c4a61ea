namespace MediaBridge.Sip.Auth;

/// <summary>The digest hash functions: SHA-256 (RFC 8760, offered first) and MD5 for older terminals (RFC 2617).</summary>
public enum DigestAlgorithm
{
    Sha256,
    Md5,
}
