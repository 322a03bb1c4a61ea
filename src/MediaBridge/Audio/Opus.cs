using System.Runtime.InteropServices;

namespace MediaBridge.Audio;

/// <summary>
/// What the Opus codec (RFC 6716) offers the bridge through the system libopus, and facts shared by
/// <see cref="OpusEncoder"/> and <see cref="OpusDecoder"/>. Lets a node say plainly at start-up that libopus0 is
/// missing instead of failing on the first browser call.
/// </summary>
public static class Opus
{
    public const string LibraryName = OpusNative.Library;

    /// <summary>The RTP timestamp rate of Opus whatever rate it codes at (RFC 7587 §4.1).</summary>
    public const int RtpClockRate = 48000;

    /// <summary>The longest Opus packet, 120 ms (RFC 6716 §3.2.5): a decode buffer of this many samples per channel at the decoder's rate never falls short.</summary>
    public const int MaxPacketMilliseconds = 120;

    private static readonly bool Loaded = NativeLibrary.TryLoad(LibraryName, typeof(Opus).Assembly, null, out _);

    /// <summary>Whether libopus could be loaded; asked once per process.</summary>
    public static bool IsAvailable => Loaded;

    /// <summary>The library's own version string, e.g. "libopus 1.3.1", or null when it is not available.</summary>
    public static string? Version => Loaded ? Marshal.PtrToStringUTF8(OpusNative.GetVersionString()) : null;

    /// <summary>Whether libopus codes at this rate: 8, 12, 16, 24 or 48 kHz.</summary>
    public static bool IsSupportedRate(int sampleRate) => sampleRate is 8000 or 12000 or 16000 or 24000 or 48000;

    /// <summary>libopus's text for a negative result of <see cref="OpusEncoder.Encode"/> or <see cref="OpusDecoder.Decode"/>.</summary>
    public static string ErrorText(int error) =>
        Loaded ? Marshal.PtrToStringUTF8(OpusNative.StrError(error)) ?? $"opus error {error}" : $"opus error {error}";

    /// <summary>
    /// Samples per channel that <paramref name="packet"/> decodes to at <paramref name="sampleRate"/>, read from its
    /// TOC byte and frame count (RFC 6716 §3.1); negative for a malformed packet.
    /// </summary>
    public static unsafe int PacketSamples(ReadOnlySpan<byte> packet, int sampleRate)
    {
        fixed (byte* data = packet)
        {
            return OpusNative.PacketGetNbSamples(data, packet.Length, sampleRate);
        }
    }

    internal static void Require(int sampleRate, int channels)
    {
        if (!IsSupportedRate(sampleRate))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Opus codes at 8000, 12000, 16000, 24000 or 48000 Hz.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 2);
        if (!Loaded)
        {
            throw new DllNotFoundException($"Opus needs {LibraryName}; install the libopus0 package.");
        }
    }
}
