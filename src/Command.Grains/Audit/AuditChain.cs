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
        var unsigned = new AuditEntry(
            index, r.At.ToUniversalTime(), r.Actor, r.Role, r.Action, r.Target, r.Outcome, r.Detail, previousHash, "",
            r.EntryId, r.Kind, r.Completes, r.Parameters, r.Source);
        return unsigned with { Hash = HashOf(unsigned) };
    }

    /// <summary>
    /// SHA-256 of the fields joined by newlines; entries with an id also cover id, kind, completes, parameters and
    /// source, so older entries keep the hash they were written with.
    /// </summary>
    public static string HashOf(AuditEntry e)
    {
        var fields = new List<string>
        {
            e.Index.ToString(CultureInfo.InvariantCulture),
            e.PreviousHash,
            e.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
            e.Actor,
            e.Role,
            e.Action,
            e.Target,
            e.Outcome.ToString(CultureInfo.InvariantCulture),
            e.Detail,
        };
        if (!string.IsNullOrEmpty(e.EntryId))
        {
            fields.AddRange([e.EntryId, e.Kind ?? "", e.Completes ?? "", e.Parameters ?? "", e.Source ?? ""]);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', fields))));
    }

    /// <summary>The bytes a head or checkpoint signature covers.</summary>
    public static byte[] HeadText(long count, string hash, DateTimeOffset at) =>
        Encoding.UTF8.GetBytes(string.Join(
            '\n', "command-audit-head", count.ToString(CultureInfo.InvariantCulture), hash, at.UtcTicks.ToString(CultureInfo.InvariantCulture)));

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static AuditEntry? Deserialize(string json) => TryDeserialize<AuditEntry>(json);

    public static T? TryDeserialize<T>(string? json)
        where T : class
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
