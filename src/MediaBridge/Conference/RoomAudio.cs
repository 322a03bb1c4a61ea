using MediaBridge.Audio;
using MediaBridge.Rtp;

namespace MediaBridge.Conference;

/// <summary>
/// A room's sound: each leg's decoded frames in, a mix of the active speakers out (each speaker hears the
/// others, every other leg one shared mix of all of them, encoded once per format). The room calls
/// <see cref="Decode"/>, <see cref="TakeMixes"/> and <see cref="Send"/> under its lock and
/// <see cref="Encode"/> outside it, so video fan-out never waits for an encoder.
/// </summary>
internal sealed class RoomAudio(int speakers) : IDisposable
{
    private readonly NMinusOneMixer mixer = new(ConferenceLeg.FrameSamples);
    private readonly SpeakerSelector speakerSet = new(speakers);
    private readonly SharedMix shared = new();
    private readonly short[] common = new short[ConferenceLeg.FrameSamples];
    private readonly List<AudioSend> sends = [];
    private readonly short[] decoded = new short[LegVoice.MaxDecodedSamples];

    /// <summary>The active speakers' leg ids, as the last frame chose them.</summary>
    public IReadOnlyList<uint> Speakers => speakerSet.Speakers;

    /// <summary>The encoders of the shared mix, one per format.</summary>
    public IEnumerable<LegVoice> SharedVoices => shared.Voices;

    /// <summary>A leg's audio packet: counted, and decoded into its frame queue when it is the negotiated codec.</summary>
    public void Decode(ConferenceLeg leg, in RtpHeader header, ReadOnlySpan<byte> packet, long nowTicks)
    {
        leg.Audio.Reception.Update(header, packet.Length, nowTicks);
        if (leg.Audio.Negotiated is { } n && header.PayloadType == n.Codec.PayloadType && leg.Voice is { } voice)
        {
            var count = voice.Decode(RtpHeader.Payload(packet, header), decoded);
            leg.Fifo.Write(decoded.AsSpan(0, count));
        }
    }

    /// <summary>
    /// Reads every leg's frame, picks the speakers among the unmuted legs that sent one, mixes them, and lists
    /// what each leg is to be sent: a speaker its own mix without itself, everyone else the shared mix. Each
    /// leg's RTP timestamp moves on every frame, whichever mix it hears, so its stream stays continuous.
    /// </summary>
    /// <returns>Whether any leg has a voice (negotiated audio); when none has, there is nothing to encode or send.</returns>
    public bool TakeMixes(List<ConferenceLeg> legs)
    {
        mixer.Begin();
        speakerSet.Begin();
        foreach (var leg in legs)
        {
            var has = leg.Fifo.TryRead(leg.Frame);
            leg.Contributed = has && !leg.Muted;
            if (leg.Contributed)
            {
                speakerSet.Offer(leg.Id, leg.Frame);
            }
            else if (!leg.Muted)
            {
                speakerSet.Keep(leg.Id);
            }
        }

        speakerSet.Select();
        foreach (var leg in legs)
        {
            if (leg.Contributed && speakerSet.IsSpeaker(leg.Id))
            {
                mixer.Add(leg.Frame);
            }
        }

        mixer.Render([], contributed: false, common);
        var voiced = false;
        foreach (var leg in legs)
        {
            voiced |= leg.Voice is not null;
            if (!leg.Audio.CanSend || leg.Voice is not { } voice)
            {
                continue;
            }

            LegVoice encoder;
            if (leg.Contributed && speakerSet.IsSpeaker(leg.Id))
            {
                mixer.Render(leg.Frame, contributed: true, voice.Mix);
                encoder = voice;
            }
            else
            {
                encoder = shared.Want(voice);
            }

            sends.Add(new AudioSend(leg, encoder, leg.AudioTimestamp));
            leg.AudioTimestamp += (uint)voice.TimestampStep;
        }

        return voiced;
    }

    /// <summary>Encodes the shared mix once per format and each speaker's own mix (Opus costs about 250 µs a frame).</summary>
    public void Encode()
    {
        shared.Encode(common);
        foreach (var send in sends)
        {
            if (send.Voice == send.Leg.Voice)
            {
                send.Voice.EncodeFrame(send.Voice.Mix);
            }
        }
    }

    /// <summary>Sends each leg its encoded frame under its own SSRC, sequence number and timestamp, built in <paramref name="scratch"/>.</summary>
    public void Send(byte[] scratch)
    {
        foreach (var (leg, voice, timestamp) in sends)
        {
            var stream = leg.Audio;
            var length = voice.PayloadLength;
            if (length == 0 || !stream.CanSend)
            {
                continue;
            }

            var packet = scratch.AsSpan(0, RtpHeader.FixedLength + length);
            voice.Payload.CopyTo(packet[RtpHeader.FixedLength..]);
            packet[0] = 0x80;
            packet[1] = (byte)stream.Negotiated!.Codec.PayloadType;
            RtpHeader.Rewrite(packet, leg.AudioSequence++, timestamp, stream.OutSsrc);
            stream.LastTimestampOut = timestamp;
            stream.Path.SendRtp(packet);
            stream.PacketsOut++;
            stream.BytesOut += packet.Length;
        }

        sends.Clear();
    }

    public void Dispose() => shared.Dispose();

    /// <summary>One leg's audio this frame: the voice whose payload it is sent (its own or the shared mix's) and its timestamp.</summary>
    private readonly record struct AudioSend(ConferenceLeg Leg, LegVoice Voice, uint Timestamp);
}
