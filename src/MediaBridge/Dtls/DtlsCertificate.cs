using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace MediaBridge.Dtls;

/// <summary>
/// The bridge's own self-signed ECDSA P-256 certificate for DTLS-SRTP. WebRTC peers trust it by
/// the fingerprint carried in SDP (RFC 8122 §5), not by any authority, so one certificate made at
/// start-up serves every leg.
/// </summary>
public sealed class DtlsCertificate
{
    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey)
    {
        Der = der;
        PrivateKey = privateKey;
        Fingerprint = DtlsFingerprint.Of(der, "sha-256");
    }

    /// <summary>The certificate in DER.</summary>
    public byte[] Der { get; }

    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>The SHA-256 fingerprint as written in an SDP <c>a=fingerprint</c> line.</summary>
    public DtlsFingerprint Fingerprint { get; }

    public static DtlsCertificate Create(string commonName = "command-bridge")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return new DtlsCertificate(certificate.RawData, PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey()));
    }
}
