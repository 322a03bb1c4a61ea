using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace MediaBridge.Srtp;

/// <summary>
/// AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): block j of keystream is AES(IV + j),
/// where the IV's low 16 bits are zero and j counts in them. XORed onto data in place.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    public const int BlockLength = 16;

    // Enough for a full-size packet in one pass; longer data is done in several.
    private const int ChunkBlocks = 96;

    private readonly Aes aes;

    // Aes.EncryptEcb builds a native cipher on every call (allocating and several times slower);
    // one ECB transform reused over preallocated arrays allocates nothing.
    private readonly ICryptoTransform ecb;
    private readonly byte[] counters = new byte[ChunkBlocks * BlockLength];
    private readonly byte[] keystream = new byte[ChunkBlocks * BlockLength];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        aes = Aes.Create();
        aes.Key = key.ToArray();
        aes.Mode = CipherMode.ECB;
        aes.Padding = PaddingMode.None;
        ecb = aes.CreateEncryptor();
    }

    /// <summary>XORs keystream onto <paramref name="data"/>, which may be up to 2^16 blocks long.</summary>
    /// <param name="iv">16 bytes whose last two are zero.</param>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        var block = 0;
        while (!data.IsEmpty)
        {
            var blocks = Math.Min(ChunkBlocks, (data.Length + BlockLength - 1) / BlockLength);
            for (var b = 0; b < blocks; b++, block++)
            {
                var counter = counters.AsSpan(b * BlockLength, BlockLength);
                iv[..14].CopyTo(counter);
                BinaryPrimitives.WriteUInt16BigEndian(counter[14..], (ushort)block);
            }

            ecb.TransformBlock(counters, 0, blocks * BlockLength, keystream, 0);
            var length = Math.Min(data.Length, blocks * BlockLength);
            Xor(data[..length], keystream.AsSpan(0, length));
            data = data[length..];
        }
    }

    public void Dispose()
    {
        ecb.Dispose();
        aes.Dispose();
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> key)
    {
        var i = 0;
        for (; i <= data.Length - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            (new Vector<byte>(data[i..]) ^ new Vector<byte>(key[i..])).CopyTo(data[i..]);
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= key[i];
        }
    }
}
