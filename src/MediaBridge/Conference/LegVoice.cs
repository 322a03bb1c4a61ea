using MediaBridge.Audio;
using MediaBridge.Sdp;

namespace MediaBridge.Conference;

/// <summary>
/// One leg's audio between its own codec and the room's 16 kHz mix: G.711 (RFC 3551 §4.5.14) is
/// resampled from and to 8 kHz, Opus (RFC 7587) is coded at 16 kHz directly. One instance per leg,
/// used under the room's lock; nothing is allocated per frame.
/// </summary>
public sealed class LegVoice : IDisposable
{
    public const int MixRate = 16000;

    /// <summary>A 20 ms frame at the mix rate.</summary>
    public const int FrameSamples = MixRate / 50;

    private readonly Upsampler2x? up;
    private readonly Downsampler2x? down;
    private readonly OpusDecoder? opusIn;
    private readonly OpusEncoder? opusOut;
    private readonly PayloadKind g711;
    private readonly short[] narrow = new short[Opus.RtpClockRate * Opus.MaxPacketMilliseconds / 1000];

    private LegVoice(SdpCodec codec)
    {
        Codec = codec;
        if (codec.Is("opus"))
        {
            opusIn = new OpusDecoder(MixRate);
            opusOut = new OpusEncoder(MixRate);
            TimestampStep = Opus.RtpClockRate / 50;
        }
        else
        {
            g711 = codec.Is("PCMA") ? PayloadKind.Pcma : PayloadKind.Pcmu;
            up = new Upsampler2x();
            down = new Downsampler2x();
            TimestampStep = 8000 / 50;
        }
    }

    public SdpCodec Codec { get; }

    /// <summary>RTP timestamp units per 20 ms frame: 160 for G.711, 960 for Opus, whose RTP clock is always 48 kHz.</summary>
    public int TimestampStep { get; }

    /// <summary>The largest decoded payload, in mix-rate samples: 120 ms of Opus.</summary>
    public static int MaxDecodedSamples => MixRate * Opus.MaxPacketMilliseconds / 1000;

    public static LegVoice For(SdpCodec codec) => new(codec);

    /// <summary>Decodes one payload to mix-rate samples; 0 for a payload that does not decode.</summary>
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (opusIn is not null)
        {
            return Math.Max(0, opusIn.Decode(payload, pcm));
        }

        var count = Math.Min(payload.Length, Math.Min(narrow.Length, pcm.Length / 2));
        G711.Decode(g711, payload[..count], narrow.AsSpan(0, count));
        return up!.Process(narrow.AsSpan(0, count), pcm);
    }

    /// <summary>Encodes one 20 ms mix frame into the leg's payload; the byte count, or 0 when nothing could be coded.</summary>
    public int Encode(ReadOnlySpan<short> frame, Span<byte> payload)
    {
        if (opusOut is not null)
        {
            return Math.Max(0, opusOut.Encode(frame, payload));
        }

        var count = down!.Process(frame, narrow);
        G711.Encode(g711, narrow.AsSpan(0, count), payload[..count]);
        return count;
    }

    public void Dispose()
    {
        opusIn?.Dispose();
        opusOut?.Dispose();
    }
}
