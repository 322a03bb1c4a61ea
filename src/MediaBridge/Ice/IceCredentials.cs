using System.Security.Cryptography;

namespace MediaBridge.Ice;

/// <summary>
/// A username fragment and password for one ICE session. RFC 8445 §5.3 asks for at least 24 bits of
/// randomness in the fragment and 128 in the password; drawn from the 64 ice-chars (RFC 8839 §5.4),
/// eight characters give 48 bits and twenty-four give 144.
/// </summary>
public sealed record IceCredentials(string Ufrag, string Password)
{
    public const int UfragLength = 8;
    public const int PasswordLength = 24;

    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static IceCredentials Create() => new(
        RandomNumberGenerator.GetString(IceChars, UfragLength),
        RandomNumberGenerator.GetString(IceChars, PasswordLength));

    /// <summary>Names the fragment only: the password is a key and stays out of logs.</summary>
    public override string ToString() => $"IceCredentials {{ Ufrag = {Ufrag} }}";

    /// <summary>Whether every character is an ice-char, as a=ice-ufrag and a=ice-pwd require.</summary>
    public static bool IsIceChars(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExcept(IceChars);
}
