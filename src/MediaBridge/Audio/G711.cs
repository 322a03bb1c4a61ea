namespace MediaBridge.Audio;

/// <summary>
/// ITU-T G.711 companding: μ-law (PCMU, RTP payload type 0) and A-law (PCMA, type 8), 8 bits per
/// 16-bit linear sample. Decoding uses 256-entry tables built once; encoding computes the segment.
/// </summary>
public static class G711
{
    private const int MuLawBias = 0x84;
    private const int MuLawClip = 32635;

    private static readonly short[] MuLawTable = BuildTable(DecodeMuLaw);
    private static readonly short[] ALawTable = BuildTable(DecodeALaw);

    public static short MuLawToLinear(byte code) => MuLawTable[code];

    public static short ALawToLinear(byte code) => ALawTable[code];

    /// <summary>μ-law: bias by 132, find the segment (exponent), keep 4 mantissa bits, invert all bits.</summary>
    public static byte LinearToMuLaw(short sample)
    {
        int value = sample;
        var sign = value < 0 ? 0x80 : 0;
        if (value < 0)
        {
            value = -value;
        }

        value = Math.Min(value, MuLawClip) + MuLawBias;
        var exponent = 7;
        for (var mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }

        var mantissa = (value >> (exponent + 3)) & 0x0F;
        return (byte)~(sign | (exponent << 4) | mantissa);
    }

    /// <summary>A-law: 13-bit magnitude, segment and 4 mantissa bits, even bits inverted (XOR 0x55).</summary>
    public static byte LinearToALaw(short sample)
    {
        var value = sample >> 3;
        int mask;
        if (value >= 0)
        {
            mask = 0xD5;
        }
        else
        {
            mask = 0x55;
            value = -value - 1;
        }

        var segment = 0;
        while (segment < 8 && value > (0x20 << segment) - 1)
        {
            segment++;
        }

        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        var code = (segment << 4) | ((segment < 2 ? value >> 1 : value >> segment) & 0x0F);
        return (byte)(code ^ mask);
    }

    public static void Decode(PayloadKind kind, ReadOnlySpan<byte> encoded, Span<short> pcm)
    {
        var table = kind == PayloadKind.Pcmu ? MuLawTable : ALawTable;
        for (var i = 0; i < encoded.Length; i++)
        {
            pcm[i] = table[encoded[i]];
        }
    }

    public static void Encode(PayloadKind kind, ReadOnlySpan<short> pcm, Span<byte> encoded)
    {
        if (kind == PayloadKind.Pcmu)
        {
            for (var i = 0; i < pcm.Length; i++)
            {
                encoded[i] = LinearToMuLaw(pcm[i]);
            }
        }
        else
        {
            for (var i = 0; i < pcm.Length; i++)
            {
                encoded[i] = LinearToALaw(pcm[i]);
            }
        }
    }

    private static short DecodeMuLaw(byte code)
    {
        var u = ~code & 0xFF;
        var exponent = (u >> 4) & 0x07;
        var magnitude = ((((u & 0x0F) << 3) + MuLawBias) << exponent) - MuLawBias;
        return (short)((u & 0x80) != 0 ? -magnitude : magnitude);
    }

    private static short DecodeALaw(byte code)
    {
        var a = code ^ 0x55;
        var magnitude = (a & 0x0F) << 4;
        var segment = (a & 0x70) >> 4;
        magnitude = segment switch
        {
            0 => magnitude + 8,
            1 => magnitude + 0x108,
            _ => (magnitude + 0x108) << (segment - 1),
        };
        return (short)((a & 0x80) != 0 ? magnitude : -magnitude);
    }

    private static short[] BuildTable(Func<byte, short> decode)
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            table[i] = decode((byte)i);
        }

        return table;
    }
}
