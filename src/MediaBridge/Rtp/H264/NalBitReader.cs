namespace MediaBridge.Rtp.H264;

/// <summary>
/// Reads an H.264 NAL unit's RBSP bit by bit (ITU-T H.264 §7.2): fixed-width fields and Exp-Golomb
/// codes (§9.1), skipping the emulation-prevention bytes (00 00 03) as it goes. Reading past the end
/// sets <see cref="Overrun"/> and yields zeros, so a cut or hostile unit never throws.
/// </summary>
public ref struct NalBitReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int index;
    private int bit;
    private int zeros;

    public bool Overrun { get; private set; }

    public uint Bits(int count)
    {
        uint value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value << 1) | Bit();
        }

        return value;
    }

    public bool Flag() => Bit() == 1;

    /// <summary>ue(v): leading zeros, a one, then as many bits; more than 31 leading zeros is malformed.</summary>
    public uint UnsignedGolomb()
    {
        var leading = 0;
        while (Bit() == 0)
        {
            if (++leading > 31 || Overrun)
            {
                Overrun = true;
                return 0;
            }
        }

        return leading == 0 ? 0 : (uint)(((1UL << leading) - 1) + Bits(leading));
    }

    /// <summary>se(v): ue(v) mapped 1, -1, 2, -2 ...</summary>
    public int SignedGolomb()
    {
        var k = UnsignedGolomb();
        return (k & 1) == 1 ? (int)((k + 1) / 2) : -(int)(k / 2);
    }

    private uint Bit()
    {
        if (bit == 0)
        {
            if (index < data.Length && zeros >= 2 && data[index] == 3)
            {
                index++;
                zeros = 0;
            }

            if (index >= data.Length)
            {
                Overrun = true;
                return 0;
            }
        }

        var value = (uint)(data[index] >> (7 - bit)) & 1;
        if (++bit == 8)
        {
            zeros = data[index] == 0 ? zeros + 1 : 0;
            bit = 0;
            index++;
        }

        return value;
    }
}
