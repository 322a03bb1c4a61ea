using System.Runtime.InteropServices;

namespace MediaBridge.Audio;

/// <summary>
/// The entry points of the system libopus (Debian's libopus0) that the bridge calls, and the constants from its
/// opus_defines.h that go with them. Buffers pass as pointers pinned by the caller so no call allocates.
/// </summary>
/// <remarks>
/// opus_encoder_ctl is a C variadic function, which .NET cannot declare portably; each use is declared instead with
/// the fixed arguments of one request (an int, or a pointer to one). That is sound where a variadic call passes
/// integer and pointer arguments exactly like a plain one: x86-64 System V (the callee reads %al only to spill vector
/// registers, and none carry arguments here), Windows x64 and Linux AArch64. It is not on Apple arm64, which puts
/// variadic arguments on the stack.
/// </remarks>
internal static unsafe partial class OpusNative
{
    public const string Library = "libopus.so.0";

    public const int Ok = 0;
    public const int BadArgument = -1;
    public const int ApplicationVoip = 2048;
    public const int SignalVoice = 3001;

    public const int SetBitrateRequest = 4002;
    public const int GetBitrateRequest = 4003;
    public const int SetComplexityRequest = 4010;
    public const int GetComplexityRequest = 4011;
    public const int SetInbandFecRequest = 4012;
    public const int GetInbandFecRequest = 4013;
    public const int SetPacketLossPercRequest = 4014;
    public const int GetPacketLossPercRequest = 4015;
    public const int SetSignalRequest = 4024;
    public const int GetSignalRequest = 4025;
    public const int GetLookaheadRequest = 4027;

    [LibraryImport(Library, EntryPoint = "opus_encoder_create")]
    public static partial OpusEncoderHandle EncoderCreate(int sampleRate, int channels, int application, out int error);

    [LibraryImport(Library, EntryPoint = "opus_encode")]
    public static partial int Encode(OpusEncoderHandle encoder, short* pcm, int frameSize, byte* data, int maxDataBytes);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    public static partial int EncoderCtl(OpusEncoderHandle encoder, int request, int value);

    [LibraryImport(Library, EntryPoint = "opus_encoder_ctl")]
    public static partial int EncoderCtl(OpusEncoderHandle encoder, int request, out int value);

    [LibraryImport(Library, EntryPoint = "opus_encoder_destroy")]
    public static partial void EncoderDestroy(nint encoder);

    [LibraryImport(Library, EntryPoint = "opus_decoder_create")]
    public static partial OpusDecoderHandle DecoderCreate(int sampleRate, int channels, out int error);

    [LibraryImport(Library, EntryPoint = "opus_decode")]
    public static partial int Decode(OpusDecoderHandle decoder, byte* data, int length, short* pcm, int frameSize, int decodeFec);

    [LibraryImport(Library, EntryPoint = "opus_decoder_destroy")]
    public static partial void DecoderDestroy(nint decoder);

    [LibraryImport(Library, EntryPoint = "opus_packet_get_nb_samples")]
    public static partial int PacketGetNbSamples(byte* packet, int length, int sampleRate);

    /// <summary>A static string owned by libopus: read it, never free it.</summary>
    [LibraryImport(Library, EntryPoint = "opus_strerror")]
    public static partial nint StrError(int error);

    /// <summary>A static string owned by libopus: read it, never free it.</summary>
    [LibraryImport(Library, EntryPoint = "opus_get_version_string")]
    public static partial nint GetVersionString();
}
