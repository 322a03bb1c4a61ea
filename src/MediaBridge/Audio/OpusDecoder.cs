namespace MediaBridge.Audio;

/// <summary>
/// Decodes one incoming Opus stream (RFC 6716) through the system libopus, at the rate the mix wants whatever rate
/// the sender coded at; a decoder made for one channel mixes stereo packets down. Covers a lost packet by packet
/// loss concealment (RFC 6716 §4.4), or better by the FEC copy in the packet after it (§2.1.7). One instance per
/// stream, since concealment draws on the previous frames; not thread-safe. Decoding allocates nothing and reports
/// bad packets by libopus's negative codes.
/// </summary>
public sealed class OpusDecoder : IDisposable
{
    private readonly OpusDecoderHandle handle;

    /// <param name="sampleRate">8000, 12000, 16000, 24000 or 48000.</param>
    /// <param name="channels">1, or 2 for interleaved stereo.</param>
    /// <exception cref="ArgumentOutOfRangeException">A rate libopus does not decode at, or a channel count other than 1 or 2.</exception>
    /// <exception cref="DllNotFoundException">libopus is not installed.</exception>
    /// <exception cref="InvalidOperationException">libopus refused the decoder.</exception>
    public OpusDecoder(int sampleRate, int channels = 1)
    {
        Opus.Require(sampleRate, channels);
        handle = OpusNative.DecoderCreate(sampleRate, channels, out var error);
        if (error != OpusNative.Ok || handle.IsInvalid)
        {
            handle.Dispose();
            throw new InvalidOperationException($"opus_decoder_create({sampleRate}, {channels}): {Opus.ErrorText(error)}");
        }

        SampleRate = sampleRate;
        Channels = channels;
    }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>Samples per channel in a 20 ms frame, what concealment of a lost packet produces.</summary>
    public int SamplesPerFrame => SampleRate / 50;

    /// <summary>
    /// Decodes <paramref name="packet"/> into <paramref name="pcm"/> (channels interleaved), which must hold the
    /// whole packet: up to <see cref="Opus.MaxPacketMilliseconds"/>, 20 ms in practice. An empty packet stands for a
    /// lost one and yields 20 ms of concealment, or less if <paramref name="pcm"/> is shorter.
    /// </summary>
    /// <returns>Samples per channel written, or a negative libopus error (−4 for a corrupt packet).</returns>
    public int Decode(ReadOnlySpan<byte> packet, Span<short> pcm)
    {
        var capacity = pcm.Length / Channels;
        return Decode(packet, pcm, packet.IsEmpty ? Math.Min(capacity, SamplesPerFrame) : capacity, fec: false);
    }

    /// <summary>
    /// Recovers the lost packet just before <paramref name="next"/> from the FEC copy <paramref name="next"/> carries,
    /// falling back to concealment when it carries none. <paramref name="pcm"/> must be exactly as long as the lost
    /// audio (20 ms in practice): libopus needs the duration to stay in step. Decode <paramref name="next"/> itself
    /// afterwards as usual.
    /// </summary>
    /// <returns>Samples per channel written, or a negative libopus error.</returns>
    public int DecodeFec(ReadOnlySpan<byte> next, Span<short> pcm) => Decode(next, pcm, pcm.Length / Channels, fec: !next.IsEmpty);

    public void Dispose() => handle.Dispose();

    private unsafe int Decode(ReadOnlySpan<byte> packet, Span<short> pcm, int frameSize, bool fec)
    {
        // An empty span pins as a null pointer, which is how libopus is asked to conceal.
        fixed (byte* data = packet)
        fixed (short* samples = pcm)
        {
            return OpusNative.Decode(handle, data, packet.Length, samples, frameSize, fec ? 1 : 0);
        }
    }
}
