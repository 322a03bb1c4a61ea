using System.Globalization;
using System.Text.RegularExpressions;

namespace MediaBridge.Sip;

/// <summary>CSeq (RFC 3261 §20.16): a 32-bit sequence number and the request method.</summary>
public sealed partial record CSeqHeader(uint Number, string Method)
{
    public static bool TryParse(string value, out CSeqHeader cseq)
    {
        cseq = null!;
        var match = Pattern().Match(value);
        if (!match.Success
            || !ulong.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number > uint.MaxValue)
        {
            return false;
        }

        cseq = new CSeqHeader((uint)number, match.Groups[2].Value);
        return true;
    }

    public override string ToString() => $"{Number.ToString(CultureInfo.InvariantCulture)} {Method}";

    [GeneratedRegex(@"^\s*([0-9]{1,20})\s+([A-Za-z0-9.!%*_+`'~-]+)\s*$")]
    private static partial Regex Pattern();
}
