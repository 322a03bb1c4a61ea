using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MediaBridge.Srtp;

/// <summary>
/// HMAC-SHA1 through libcrypto, keyed once. Where libcrypto exports the low-level SHA-1 functions, the SHA-1 states
/// after the inner and outer padded keys are kept, and a MAC is one copy of the inner state, the message, and one
/// compression of a prepared outer block: OpenSSL 3's HMAC_CTX restart instead duplicates provider contexts
/// (allocating) on every message, a third of the cost at SRTP sizes. Elsewhere it restarts an HMAC_CTX.
/// </summary>
/// <remarks>Not thread-safe: one caller at a time, as <see cref="SrtpSession"/> already requires.</remarks>
internal sealed unsafe class LibCryptoHmacSha1 : IDisposable
{
    public const int HashLength = 20;

    private const int BlockLength = 64;
    private const int StateLength = LibCrypto.Sha1StateLength;

    // Offsets into the pinned scratch: SHA_CTX after the inner padded key, the working SHA_CTX, the outer block
    // (inner digest, then padding for a 64 + 20-byte message), and h0..h4 after the outer padded key.
    private const int Inner = 0;
    private const int Working = StateLength;
    private const int OuterBlock = 2 * StateLength;
    private const int Outer = OuterBlock + BlockLength;
    private const int ScratchLength = Outer + HashLength;

    private readonly HmacContextHandle? context;

    // On the pinned object heap, so the pointer taken at construction stays valid for the array's lifetime.
    private readonly byte[]? scratch;
    private readonly byte* states;
    private bool disposed;

    public LibCryptoHmacSha1(ReadOnlySpan<byte> key)
        : this(key, LibCrypto.HasSha1Blocks)
    {
    }

    /// <param name="precomputed">False to restart an HMAC_CTX per message even where the SHA-1 functions are there.</param>
    public LibCryptoHmacSha1(ReadOnlySpan<byte> key, bool precomputed)
    {
        if (precomputed)
        {
            scratch = GC.AllocateArray<byte>(ScratchLength, pinned: true);
            states = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(scratch));
            if (!Prepare(key))
            {
                CryptographicOperations.ZeroMemory(scratch);
                throw new CryptographicException("libcrypto refused an HMAC-SHA1 key.");
            }

            return;
        }

        context = LibCrypto.HmacContextNew();

        // A null key tells HMAC_Init_ex to keep the previous one, so an empty key still passes a real pointer.
        byte none = 0;
        fixed (byte* given = key)
        {
            if (context.IsInvalid || LibCrypto.HmacInit(context, key.IsEmpty ? &none : given, key.Length, LibCrypto.Sha1(), 0) != 1)
            {
                context.Dispose();
                throw new CryptographicException("libcrypto refused an HMAC-SHA1 key.");
            }
        }
    }

    /// <summary>Writes HMAC-SHA1(<paramref name="message"/> || <paramref name="suffix"/>) to 20 bytes; false only if libcrypto fails.</summary>
    public bool Compute(ReadOnlySpan<byte> message, ReadOnlySpan<byte> suffix, Span<byte> hash)
    {
        if (hash.Length < HashLength)
        {
            throw new ArgumentException("HMAC-SHA1 writes 20 bytes.", nameof(hash));
        }

        if (context is not null)
        {
            return ComputeWithContext(message, suffix, hash);
        }

        ObjectDisposedException.ThrowIf(disposed, this);
        var working = states + Working;
        var block = states + OuterBlock;
        Buffer.MemoryCopy(states + Inner, working, StateLength, StateLength);
        fixed (byte* m = message, s = suffix)
        {
            if ((message.IsEmpty || (message.Length <= LibCrypto.ShortLength
                    ? LibCrypto.Sha1UpdateShort(working, m, (nuint)message.Length)
                    : LibCrypto.Sha1Update(working, m, (nuint)message.Length)) == 1)
                && (suffix.IsEmpty || LibCrypto.Sha1UpdateShort(working, s, (nuint)suffix.Length) == 1)
                && LibCrypto.Sha1Final(block, working) == 1)
            {
                Buffer.MemoryCopy(states + Outer, working, HashLength, HashLength);
                LibCrypto.Sha1Transform(working, block);
                var h = (uint*)working;
                ref var output = ref MemoryMarshal.GetReference(hash);
                for (var i = 0; i < HashLength / 4; i++)
                {
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref output, 4 * i), BinaryPrimitives.ReverseEndianness(h[i]));
                }

                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        context?.Dispose();
        if (scratch is not null)
        {
            disposed = true;
            CryptographicOperations.ZeroMemory(scratch);
        }
    }

    /// <summary>The inner state and the outer h0..h4 after the padded key blocks (RFC 2104), and the outer block's padding.</summary>
    private bool Prepare(ReadOnlySpan<byte> key)
    {
        Span<byte> padded = stackalloc byte[BlockLength];
        try
        {
            padded.Clear();
            if (key.Length > BlockLength)
            {
                SHA1.HashData(key, padded);
            }
            else
            {
                key.CopyTo(padded);
            }

            fixed (byte* p = padded)
            {
                Xor(padded, 0x36);
                if (LibCrypto.Sha1Init(states + Inner) != 1 || LibCrypto.Sha1UpdateShort(states + Inner, p, BlockLength) != 1)
                {
                    return false;
                }

                Xor(padded, 0x36 ^ 0x5C);
                if (LibCrypto.Sha1Init(states + Working) != 1 || LibCrypto.Sha1UpdateShort(states + Working, p, BlockLength) != 1)
                {
                    return false;
                }
            }

            Buffer.MemoryCopy(states + Working, states + Outer, HashLength, HashLength);
            var block = new Span<byte>(states + OuterBlock, BlockLength);
            block.Clear();
            block[HashLength] = 0x80;
            BinaryPrimitives.WriteUInt64BigEndian(block[^8..], (BlockLength + HashLength) * 8);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(padded);
        }
    }

    private static void Xor(Span<byte> data, byte value)
    {
        for (var i = 0; i < data.Length; i++)
        {
            data[i] ^= value;
        }
    }

    private bool ComputeWithContext(ReadOnlySpan<byte> message, ReadOnlySpan<byte> suffix, Span<byte> hash)
    {
        var added = false;
        try
        {
            context!.DangerousAddRef(ref added);
            var ctx = context.DangerousGetHandle();
            uint written;
            fixed (byte* m = message, s = suffix, h = hash)
            {
                return LibCrypto.HmacRestart(ctx, null, 0, 0, 0) == 1
                    && (message.IsEmpty || (message.Length <= LibCrypto.ShortLength
                        ? LibCrypto.HmacUpdateShort(ctx, m, (nuint)message.Length)
                        : LibCrypto.HmacUpdate(ctx, m, (nuint)message.Length)) == 1)
                    && (suffix.IsEmpty || LibCrypto.HmacUpdateShort(ctx, s, (nuint)suffix.Length) == 1)
                    && LibCrypto.HmacFinal(ctx, h, &written) == 1;
            }
        }
        finally
        {
            if (added)
            {
                context?.DangerousRelease();
            }
        }
    }
}
