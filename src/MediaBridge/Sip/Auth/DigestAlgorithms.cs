using System.Security.Cryptography;
using System.Text;

namespace MediaBridge.Sip.Auth;

public static class DigestAlgorithms
{
    public static string Name(this DigestAlgorithm algorithm) => algorithm == DigestAlgorithm.Sha256 ? "SHA-256" : "MD5";

    public static bool TryParse(string? name, out DigestAlgorithm algorithm)
    {
        // RFC 2617 §3.2.2: an absent algorithm means MD5.
        algorithm = DigestAlgorithm.Md5;
        if (name is null || name.Equals("MD5", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (name.Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256;
            return true;
        }

        return false;
    }

    /// <summary>H(data) as lower-case hex (RFC 7616 §3.4.1).</summary>
    public static string Hash(this DigestAlgorithm algorithm, string data)
    {
        var bytes = Encoding.UTF8.GetBytes(data);
        return Convert.ToHexStringLower(algorithm == DigestAlgorithm.Sha256 ? SHA256.HashData(bytes) : MD5.HashData(bytes));
    }
}
