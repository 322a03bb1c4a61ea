using System.Security.Cryptography;

namespace Command.Contracts;

/// <summary>Short random ids such as <c>s-k7mz2q9xwa</c>: easy to read out on a call and dialable as a SIP user part.</summary>
public static class ShortId
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public static string New(string prefix) => prefix + "-" + RandomNumberGenerator.GetString(Alphabet, 10);
}
