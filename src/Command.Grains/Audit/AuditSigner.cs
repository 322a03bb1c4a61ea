using System.Security.Cryptography;
using Command.Contracts.Audit;

namespace Command.Grains.Audit;

/// <summary>
/// Signs the chain's head, checkpoints and exports with an ECDSA P-256 key, so an auditor holding only the public
/// key can check them and nobody without the private key can move the chain's end.
/// </summary>
public sealed class AuditSigner : IDisposable
{
    private readonly ECDsa key;

    public AuditSigner(byte[] pkcs8)
    {
        key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new CryptographicException("The audit signing key must be an ECDSA P-256 key.");
        }

        PublicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>SubjectPublicKeyInfo, base64.</summary>
    public string PublicKey { get; }

    public static byte[] NewKey()
    {
        using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return fresh.ExportPkcs8PrivateKey();
    }

    public AuditHead SignHead(long count, string hash, DateTimeOffset at)
    {
        at = new DateTimeOffset(at.UtcTicks, TimeSpan.Zero);
        return new AuditHead(count, hash, at, Sign(AuditChain.HeadText(count, hash, at)));
    }

    public bool Verifies(AuditHead head) =>
        Verifies(AuditChain.HeadText(head.Count, head.Hash, head.At), head.Signature);

    public string Sign(byte[] data) =>
        Convert.ToBase64String(key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public bool Verifies(byte[] data, string signature)
    {
        try
        {
            return key.VerifyData(data, Convert.FromBase64String(signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public void Dispose() => key.Dispose();
}
