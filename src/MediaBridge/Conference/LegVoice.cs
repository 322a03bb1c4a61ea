using MediaBridge.Audio;
using MediaBridge.Sdp;

namespace MediaBridge.Conference;

/// <summary>
/// One leg's audio between its own codec and the room's 16 kHz mix: G.711 (RFC 3551 §4.5.14) is
/// resampled from and to 8 kHz, Opus (RFC 7587) is coded at 16 kHz directly. One instance per leg, and one
/// per format for a room's shared mix (which never decodes); nothing is allocated per frame.
/// Decoding runs under the room's lock and encoding on the media clock outside it, so the two keep separate buffers.
/// </summary>
public sealed class LegVoice : IDisposable
{
    public const int MixRate = 16000;

    /// <summary>A 20 ms frame at the mix rate.</summary>
    public const int FrameSamples = MixRate / 50;

    /// <summary>The packet time every leg is sent.</summary>
    public const int FrameMilliseconds = 20;

    /// <summary>Room for the largest 20 ms payload: an Opus packet is at most 1275 bytes (RFC 6716 §3.4 R2).</summary>
    public const int MaxPayload = 1275;

    private readonly Upsampler2x? up;
    private readonly Downsampler2x? down;
    private readonly OpusDecoder? opusIn;
    private readonly OpusEncoder? opusOut;
    private readonly PayloadKind g711;
    private readonly short[] narrowIn = new short[Opus.RtpClockRate * Opus.MaxPacketMilliseconds / 1000];
    private readonly short[] narrowOut = new short[Opus.RtpClockRate * Opus.MaxPacketMilliseconds / 1000];
    private readonly byte[] payload = new byte[MaxPayload];

    private LegVoice(SdpCodec codec, bool decodes)
    {
        Codec = codec;
        if (codec.Is("opus"))
        {
            opusIn = decodes ? new OpusDecoder(MixRate) : null;
            opusOut = new OpusEncoder(MixRate);
            TimestampStep = Opus.RtpClockRate / 50;
            Format = new VoiceFormat("OPUS", Opus.RtpClockRate, 1, FrameMilliseconds);
        }
        else
        {
            g711 = codec.Is("PCMA") ? PayloadKind.Pcma : PayloadKind.Pcmu;
            up = decodes ? new Upsampler2x() : null;
            down = new Downsampler2x();
            TimestampStep = 8000 / 50;
            Format = new VoiceFormat(g711 == PayloadKind.Pcma ? "PCMA" : "PCMU", 8000, 1, FrameMilliseconds);
        }
    }

    public SdpCodec Codec { get; }

    /// <summary>The format this voice sends; legs of one format can share an encoded mix.</summary>
    public VoiceFormat Format { get; }

    /// <summary>RTP timestamp units per 20 ms frame: 160 for G.711, 960 for Opus, whose RTP clock is always 48 kHz.</summary>
    public int TimestampStep { get; }

    /// <summary>The largest decoded payload, in mix-rate samples: 120 ms of Opus.</summary>
    public static int MaxDecodedSamples => MixRate * Opus.MaxPacketMilliseconds / 1000;

    /// <summary>Frames encoded so far: what a shared mix saves shows here.</summary>
    public long Encoded { get; private set; }

    /// <summary>This leg's own N-1 mix for the current frame, while it is a speaker.</summary>
    internal short[] Mix { get; } = new short[FrameSamples];

    /// <summary>The payload <see cref="EncodeFrame"/> produced last.</summary>
    internal ReadOnlySpan<byte> Payload => payload.AsSpan(0, PayloadLength);

    internal int PayloadLength { get; private set; }

    public static LegVoice For(SdpCodec codec) => new(codec, decodes: true);

    /// <summary>An encoder for a room's shared mix in this codec's format.</summary>
    public static LegVoice Shared(SdpCodec codec) => new(codec, decodes: false);

    /// <summary>Decodes one payload to mix-rate samples; 0 for a payload that does not decode.</summary>
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (opusIn is not null)
        {
            return Math.Max(0, opusIn.Decode(payload, pcm));
        }

        if (up is null)
        {
            return 0;
        }

        var count = Math.Min(payload.Length, Math.Min(narrowIn.Length, pcm.Length / 2));
        G711.Decode(g711, payload[..count], narrowIn.AsSpan(0, count));
        return up.Process(narrowIn.AsSpan(0, count), pcm);
    }

    /// <summary>Encodes one 20 ms mix frame into the leg's payload; the byte count, or 0 when nothing could be coded.</summary>
    public int Encode(ReadOnlySpan<short> frame, Span<byte> payload)
    {
        Encoded++;
        if (opusOut is not null)
        {
            return Math.Max(0, opusOut.Encode(frame, payload));
        }

        var count = down!.Process(frame, narrowOut);
        G711.Encode(g711, narrowOut.AsSpan(0, count), payload[..count]);
        return count;
    }

    /// <summary>Encodes one frame into this voice's own payload buffer (see <see cref="Payload"/>).</summary>
    internal void EncodeFrame(ReadOnlySpan<short> frame) => PayloadLength = Encode(frame, payload);

    public void Dispose()
    {
        opusIn?.Dispose();
        opusOut?.Dispose();
    }
}
