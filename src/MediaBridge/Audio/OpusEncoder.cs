namespace MediaBridge.Audio;

/// <summary>
/// Encodes one outgoing stream to Opus (RFC 6716) through the system libopus, set up for speech to a browser over
/// a lossy path: the VoIP application and voice signal hints, a fixed target bitrate (RFC 7587 §3.1.1) and in-band
/// FEC (RFC 6716 §2.1.7), which only has an effect when the expected loss is above zero. One instance per stream;
/// not thread-safe. <see cref="Encode"/> allocates nothing and reports bad input by libopus's negative codes.
/// </summary>
public sealed class OpusEncoder : IDisposable
{
    public const int DefaultBitrate = 32000;
    public const int DefaultComplexity = 5;
    public const int DefaultExpectedLossPercent = 10;

    private readonly OpusEncoderHandle handle;

    /// <param name="sampleRate">8000, 12000, 16000, 24000 or 48000.</param>
    /// <param name="channels">1, or 2 for interleaved stereo.</param>
    /// <param name="bitrate">Target bits per second; 32 kbit/s leaves wideband speech room for its FEC copy.</param>
    /// <param name="complexity">0–10: CPU against quality; 5 keeps many streams per core at little cost to speech.</param>
    /// <param name="expectedLossPercent">0–100: how much redundancy FEC spends; 0 turns it off in practice.</param>
    /// <exception cref="ArgumentOutOfRangeException">A rate libopus does not code at, or a channel count other than 1 or 2.</exception>
    /// <exception cref="DllNotFoundException">libopus is not installed.</exception>
    /// <exception cref="InvalidOperationException">libopus refused the encoder or a setting.</exception>
    public OpusEncoder(
        int sampleRate,
        int channels = 1,
        int bitrate = DefaultBitrate,
        int complexity = DefaultComplexity,
        int expectedLossPercent = DefaultExpectedLossPercent)
    {
        Opus.Require(sampleRate, channels);
        handle = OpusNative.EncoderCreate(sampleRate, channels, OpusNative.ApplicationVoip, out var error);
        if (error != OpusNative.Ok || handle.IsInvalid)
        {
            handle.Dispose();
            throw new InvalidOperationException($"opus_encoder_create({sampleRate}, {channels}): {Opus.ErrorText(error)}");
        }

        SampleRate = sampleRate;
        Channels = channels;
        try
        {
            Set(OpusNative.SetBitrateRequest, bitrate);
            Set(OpusNative.SetComplexityRequest, complexity);
            Set(OpusNative.SetSignalRequest, OpusNative.SignalVoice);
            Set(OpusNative.SetInbandFecRequest, 1);
            Set(OpusNative.SetPacketLossPercRequest, expectedLossPercent);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>Samples per channel in a 20 ms frame, the packet time WebRTC uses.</summary>
    public int SamplesPerFrame => SampleRate / 50;

    /// <summary>
    /// Encodes one frame of 2.5, 5, 10, 20, 40 or 60 ms (channels interleaved) into <paramref name="output"/>.
    /// </summary>
    /// <returns>
    /// Bytes written, one packet; 1 or 2 means nothing need be sent (discontinuous transmission). Negative is a libopus
    /// error, e.g. −1 for a frame of another length, −2 for an output too small (1275 bytes always suffices).
    /// </returns>
    public unsafe int Encode(ReadOnlySpan<short> pcm, Span<byte> output)
    {
        if (pcm.Length % Channels != 0)
        {
            return OpusNative.BadArgument;
        }

        fixed (short* samples = pcm)
        fixed (byte* data = output)
        {
            return OpusNative.Encode(handle, samples, pcm.Length / Channels, data, output.Length);
        }
    }

    public void Dispose() => handle.Dispose();

    /// <summary>Reads an encoder setting back by its OPUS_GET_* request.</summary>
    internal int Get(int request)
    {
        var result = OpusNative.EncoderCtl(handle, request, out int value);
        return result == OpusNative.Ok ? value : throw new InvalidOperationException($"opus_encoder_ctl({request}): {Opus.ErrorText(result)}");
    }

    private void Set(int request, int value)
    {
        var result = OpusNative.EncoderCtl(handle, request, value);
        if (result != OpusNative.Ok)
        {
            throw new InvalidOperationException($"opus_encoder_ctl({request}, {value}): {Opus.ErrorText(result)}");
        }
    }
}
