using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace MediaBridge.Srtp;

/// <summary>
/// AES-128 in SRTP's counter mode (RFC 3711 §4.1.1) on the CPU's AES instructions, eight blocks in flight. Setting a
/// new IV per packet costs nothing here, where an EVP context's IV reset costs as much as the encryption of a small
/// packet; the counter blocks are built in registers and the keystream XORed straight onto the data.
/// </summary>
/// <remarks>Not thread-safe: one caller at a time, as <see cref="SrtpSession"/> already requires.</remarks>
internal sealed class AesNiCounterMode : IDisposable
{
    public const int BlockLength = 16;

    private const int Rounds = 10;

    private readonly Vector128<byte>[] roundKeys = new Vector128<byte>[Rounds + 1];

    public AesNiCounterMode(ReadOnlySpan<byte> key)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("This CPU has no AES instructions.");
        }

        if (key.Length != 16)
        {
            throw new ArgumentException("AES-128 takes a 16-byte key.", nameof(key));
        }

        var k = Vector128.Create(key);
        roundKeys[0] = k;
        roundKeys[1] = k = Expand(k, X86Aes.KeygenAssist(k, 0x01));
        roundKeys[2] = k = Expand(k, X86Aes.KeygenAssist(k, 0x02));
        roundKeys[3] = k = Expand(k, X86Aes.KeygenAssist(k, 0x04));
        roundKeys[4] = k = Expand(k, X86Aes.KeygenAssist(k, 0x08));
        roundKeys[5] = k = Expand(k, X86Aes.KeygenAssist(k, 0x10));
        roundKeys[6] = k = Expand(k, X86Aes.KeygenAssist(k, 0x20));
        roundKeys[7] = k = Expand(k, X86Aes.KeygenAssist(k, 0x40));
        roundKeys[8] = k = Expand(k, X86Aes.KeygenAssist(k, 0x80));
        roundKeys[9] = k = Expand(k, X86Aes.KeygenAssist(k, 0x1B));
        roundKeys[10] = Expand(k, X86Aes.KeygenAssist(k, 0x36));
    }

    public static bool IsSupported => X86Aes.IsSupported && Sse2.IsSupported;

    /// <summary>XORs keystream onto <paramref name="data"/>, which may be up to 2^16 blocks long.</summary>
    /// <param name="iv">16 bytes whose last two are zero.</param>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (iv.Length != BlockLength)
        {
            throw new ArgumentException("The IV is one block.", nameof(iv));
        }

        Apply(Vector128.Create(iv), data);
    }

    /// <inheritdoc cref="Apply(ReadOnlySpan{byte}, Span{byte})"/>
    public void Apply(Vector128<byte> iv, Span<byte> data)
    {
        if (data.Length > (1 << 16) * BlockLength)
        {
            throw new ArgumentException("SRTP's counter covers 2^16 blocks.", nameof(data));
        }

        var counter = iv.AsUInt16();
        ref var d = ref MemoryMarshal.GetReference(data);
        var keys = roundKeys.AsSpan();
        var block = 0;
        var offset = 0;
        for (; offset + (8 * BlockLength) <= data.Length; offset += 8 * BlockLength, block += 8)
        {
            Eight(keys, counter, block, ref Unsafe.Add(ref d, offset));
        }

        for (; offset + BlockLength <= data.Length; offset += BlockLength, block++)
        {
            ref var at = ref Unsafe.Add(ref d, offset);
            (Vector128.LoadUnsafe(ref at) ^ Encrypt(keys, Counter(counter, block))).StoreUnsafe(ref at);
        }

        if (offset < data.Length)
        {
            Span<byte> keystream = stackalloc byte[BlockLength];
            Encrypt(keys, Counter(counter, block)).CopyTo(keystream);
            for (var i = 0; offset + i < data.Length; i++)
            {
                data[offset + i] ^= keystream[i];
            }
        }
    }

    public void Dispose() => Array.Clear(roundKeys);

    private static Vector128<byte> Expand(Vector128<byte> key, Vector128<byte> assist)
    {
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        return key ^ Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Counter(Vector128<ushort> iv, int block) =>
        iv.WithElement(7, BinaryPrimitives.ReverseEndianness((ushort)block)).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Encrypt(Span<Vector128<byte>> keys, Vector128<byte> state)
    {
        state ^= keys[0];
        for (var r = 1; r < Rounds; r++)
        {
            state = X86Aes.Encrypt(state, keys[r]);
        }

        return X86Aes.EncryptLast(state, keys[Rounds]);
    }

    /// <summary>Eight independent blocks, so the AES units overlap rather than wait on each round's latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Eight(Span<Vector128<byte>> keys, Vector128<ushort> iv, int block, ref byte data)
    {
        var k = keys[0];
        var s0 = Counter(iv, block) ^ k;
        var s1 = Counter(iv, block + 1) ^ k;
        var s2 = Counter(iv, block + 2) ^ k;
        var s3 = Counter(iv, block + 3) ^ k;
        var s4 = Counter(iv, block + 4) ^ k;
        var s5 = Counter(iv, block + 5) ^ k;
        var s6 = Counter(iv, block + 6) ^ k;
        var s7 = Counter(iv, block + 7) ^ k;
        for (var r = 1; r < Rounds; r++)
        {
            k = keys[r];
            s0 = X86Aes.Encrypt(s0, k);
            s1 = X86Aes.Encrypt(s1, k);
            s2 = X86Aes.Encrypt(s2, k);
            s3 = X86Aes.Encrypt(s3, k);
            s4 = X86Aes.Encrypt(s4, k);
            s5 = X86Aes.Encrypt(s5, k);
            s6 = X86Aes.Encrypt(s6, k);
            s7 = X86Aes.Encrypt(s7, k);
        }

        k = keys[Rounds];
        Xor(ref data, 0, X86Aes.EncryptLast(s0, k));
        Xor(ref data, 1, X86Aes.EncryptLast(s1, k));
        Xor(ref data, 2, X86Aes.EncryptLast(s2, k));
        Xor(ref data, 3, X86Aes.EncryptLast(s3, k));
        Xor(ref data, 4, X86Aes.EncryptLast(s4, k));
        Xor(ref data, 5, X86Aes.EncryptLast(s5, k));
        Xor(ref data, 6, X86Aes.EncryptLast(s6, k));
        Xor(ref data, 7, X86Aes.EncryptLast(s7, k));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Xor(ref byte data, int block, Vector128<byte> keystream)
    {
        ref var at = ref Unsafe.Add(ref data, block * BlockLength);
        (Vector128.LoadUnsafe(ref at) ^ keystream).StoreUnsafe(ref at);
    }
}
