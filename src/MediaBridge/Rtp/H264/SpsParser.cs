namespace MediaBridge.Rtp.H264;

/// <summary>
/// Parses a sequence parameter set NAL unit (ITU-T H.264 §7.3.2.1.1) as far as the frame cropping,
/// which is all the size needs: width = pic_width_in_mbs × 16 and height = map units × 16 × (2 −
/// frame_mbs_only), less the crop in chroma units (§7.4.2.1.1). High profiles' chroma format and
/// scaling lists are read so the fields after them line up. A unit that is cut short or nonsensical
/// yields false, never an exception.
/// </summary>
public static class SpsParser
{
    private static readonly int[] HighProfiles = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135];

    public static bool TryParse(ReadOnlySpan<byte> nal, out SpsInfo info)
    {
        info = null!;
        if (nal.Length < 4 || (nal[0] & 0x1F) != 7)
        {
            return false;
        }

        var r = new NalBitReader(nal[1..]);
        var profile = (int)r.Bits(8);
        var constraints = r.Bits(8);
        var level = (int)r.Bits(8);
        if (r.UnsignedGolomb() > 31)
        {
            return false;
        }

        var chroma = 1u;
        var separateColourPlanes = false;
        if (HighProfiles.Contains(profile))
        {
            chroma = r.UnsignedGolomb();
            if (chroma > 3)
            {
                return false;
            }

            if (chroma == 3)
            {
                separateColourPlanes = r.Flag();
            }

            r.UnsignedGolomb();
            r.UnsignedGolomb();
            r.Flag();
            if (r.Flag())
            {
                SkipScalingLists(ref r, chroma == 3 ? 12 : 8);
            }
        }

        r.UnsignedGolomb();
        var pocType = r.UnsignedGolomb();
        if (pocType == 0)
        {
            r.UnsignedGolomb();
        }
        else if (pocType == 1)
        {
            r.Flag();
            r.SignedGolomb();
            r.SignedGolomb();
            var cycle = r.UnsignedGolomb();
            if (cycle > 255)
            {
                return false;
            }

            for (var i = 0; i < cycle; i++)
            {
                r.SignedGolomb();
            }
        }
        else if (pocType > 2)
        {
            return false;
        }

        r.UnsignedGolomb();
        r.Flag();
        var widthMbs = r.UnsignedGolomb() + 1;
        var heightMapUnits = r.UnsignedGolomb() + 1;
        var frameMbsOnly = r.Flag();
        if (!frameMbsOnly)
        {
            r.Flag();
        }

        r.Flag();
        uint left = 0, right = 0, top = 0, bottom = 0;
        if (r.Flag())
        {
            (left, right, top, bottom) = (r.UnsignedGolomb(), r.UnsignedGolomb(), r.UnsignedGolomb(), r.UnsignedGolomb());
        }

        if (r.Overrun || widthMbs > 1024 || heightMapUnits > 1024)
        {
            return false;
        }

        // Table 6-1: SubWidthC and SubHeightC; monochrome and separate planes crop in whole samples.
        var arrayType = separateColourPlanes ? 0 : chroma;
        var (subWidth, subHeight) = arrayType switch { 1 => (2, 2), 2 => (2, 1), 3 => (1, 1), _ => (1, 1) };
        var cropX = subWidth;
        var cropY = subHeight * (frameMbsOnly ? 1 : 2);
        var width = (long)widthMbs * 16 - (cropX * ((long)left + right));
        var height = (long)heightMapUnits * 16 * (frameMbsOnly ? 1 : 2) - (cropY * ((long)top + bottom));
        if (width <= 0 || height <= 0)
        {
            return false;
        }

        info = new SpsInfo(profile, profile == 66 && (constraints & 0x40) != 0, level, (int)width, (int)height);
        return true;
    }

    /// <summary>§7.3.2.1.1.1: each present list is a run of delta_scale values until one leaves the scale at zero.</summary>
    private static void SkipScalingLists(ref NalBitReader r, int count)
    {
        for (var i = 0; i < count && !r.Overrun; i++)
        {
            if (!r.Flag())
            {
                continue;
            }

            var size = i < 6 ? 16 : 64;
            int last = 8, next = 8;
            for (var j = 0; j < size && !r.Overrun; j++)
            {
                if (next != 0)
                {
                    next = (last + r.SignedGolomb() + 256) % 256;
                }

                last = next == 0 ? last : next;
            }
        }
    }
}
