using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Command.Contracts.Audit;

namespace Command.Grains.Audit;

/// <summary>How entries are hashed, linked and written, in one place for the writer and the verifier.</summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static AuditEntry Link(long index, string previousHash, AuditRecord r)
    {
        var unsigned = new AuditEntry(index, r.At.ToUniversalTime(), r.Actor, r.Role, r.Action, r.Target, r.Outcome, r.Detail, previousHash, "");
        return unsigned with { Hash = HashOf(unsigned) };
    }

    public static string HashOf(AuditEntry e)
    {
        var canonical = string.Join(
            '\n',
            e.Index.ToString(CultureInfo.InvariantCulture),
            e.PreviousHash,
            e.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
            e.Actor,
            e.Role,
            e.Action,
            e.Target,
            e.Outcome.ToString(CultureInfo.InvariantCulture),
            e.Detail);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public static string Serialize(AuditEntry entry) => JsonSerializer.Serialize(entry, Json);

    public static AuditEntry? Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<AuditEntry>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
