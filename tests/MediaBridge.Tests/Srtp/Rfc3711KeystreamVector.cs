namespace MediaBridge.Tests.Srtp;

/// <summary>RFC 3711 Appendix B.2: the AES-CM keystream of one key and IV, which every counter mode here must produce.</summary>
public static class Rfc3711KeystreamVector
{
    public static byte[] Key => Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C");

    public static byte[] Iv => Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");

    /// <summary>Long enough to reach the table's last block, 0xFF01.</summary>
    public static byte[] NewKeystream() => new byte[0xFF02 * 16];

    /// <summary>The RFC's table, also checked block by block against OpenSSL's AES.</summary>
    public static void AssertMatches(byte[] keystream)
    {
        Assert.Equal("E03EAD0935C95E80E166B16DD92B4EB4", Block(keystream, 0x0000));
        Assert.Equal("D23513162B02D0F72A43A2FE4A5F97AB", Block(keystream, 0x0001));
        Assert.Equal("41E95B3BB0A2E8DD477901E4FCA894C0", Block(keystream, 0x0002));
        Assert.Equal("EC8CDF7398607CB0F2D21675EA9EA1E4", Block(keystream, 0xFEFF));
        Assert.Equal("362B7C3C6773516318A077D7FC5073AE", Block(keystream, 0xFF00));
        Assert.Equal("6A2CC3787889374FBEB4C81B17BA6C44", Block(keystream, 0xFF01));
    }

    private static string Block(byte[] keystream, int block) => Convert.ToHexString(keystream, block * 16, 16);
}
