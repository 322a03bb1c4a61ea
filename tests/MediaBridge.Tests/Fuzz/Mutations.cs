using CsCheck;

namespace MediaBridge.Tests.Fuzz;

/// <summary>
/// Mutations of valid wire messages: bit flips, overwritten bytes, truncation, duplicated and deleted
/// runs, splices with another message and runs of bytes that parsers treat specially.
/// </summary>
public static class Mutations
{
    private static readonly byte[][] Specials =
        ["\r\n"u8.ToArray(), "\r\n\r\n"u8.ToArray(), "\n"u8.ToArray(), ":"u8.ToArray(), ";"u8.ToArray(), ","u8.ToArray(), "%"u8.ToArray(),
            "\""u8.ToArray(), "<"u8.ToArray(), ">"u8.ToArray(), "@"u8.ToArray(), " "u8.ToArray(), "\t"u8.ToArray(), "="u8.ToArray(),
            "$"u8.ToArray(), "\\"u8.ToArray(), [0x00], [0xFF], [0x80], [0xC3], [0xED, 0xA0, 0x80], "99999999999"u8.ToArray()];

    private static readonly Gen<Edit> Edits = Gen.Select(Gen.Int[0, 8], Gen.UInt, Gen.Int[0, 80], Gen.Byte, (kind, position, length, value) => new Edit(kind, position, length, value));

    /// <summary>Each seed mutated zero to <paramref name="maxEdits"/> times.</summary>
    public static Gen<byte[]> Of(IReadOnlyList<byte[]> seeds, int maxEdits = 8) =>
        Gen.Select(Gen.Int[0, seeds.Count - 1], Gen.Int[0, seeds.Count - 1], Edits.Array[0, maxEdits], (a, b, edits) => Apply(seeds[a], seeds[b], edits));

    /// <summary>Mutations of the seeds half the time, arbitrary bytes the other half.</summary>
    public static Gen<byte[]> OrBytes(IReadOnlyList<byte[]> seeds, int maxLength) =>
        Gen.Frequency((3, Of(seeds)), (1, Gen.Byte.Array[0, maxLength]));

    private static byte[] Apply(byte[] seed, byte[] other, Edit[] edits)
    {
        var data = new List<byte>(seed);
        foreach (var e in edits)
        {
            var at = data.Count == 0 ? 0 : (int)(e.Position % (uint)data.Count);
            var run = Math.Min(e.Length, data.Count - at);
            switch (e.Kind)
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << (e.Value & 7));
                    break;
                case 1 when data.Count > 0:
                    data[at] = e.Value;
                    break;
                case 2:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 3:
                    data.InsertRange(at, data.GetRange(at, run));
                    break;
                case 4:
                    data.RemoveRange(at, run);
                    break;
                case 5:
                    var from = other.Length == 0 ? 0 : (int)(e.Position % (uint)other.Length);
                    data.RemoveRange(at, data.Count - at);
                    data.AddRange(other.AsSpan(from).ToArray());
                    break;
                case 6:
                    data.InsertRange(at, Enumerable.Repeat(e.Value, e.Length));
                    break;
                default:
                    data.InsertRange(at, Specials[e.Value % Specials.Length]);
                    break;
            }
        }

        return [.. data];
    }

    private readonly record struct Edit(int Kind, uint Position, int Length, byte Value);
}
