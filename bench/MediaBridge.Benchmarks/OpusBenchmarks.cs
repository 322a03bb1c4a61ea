using BenchmarkDotNet.Attributes;
using MediaBridge.Audio;

namespace MediaBridge.Benchmarks;

/// <summary>
/// A browser leg's per-frame audio work at the 16 kHz mix: Opus encode and decode of one 20 ms frame (and of a
/// lost one), and a SIP leg's resampling of one frame between 8 and 16 kHz. Frames cycle through a second of
/// gliding, pulsing tone so the codec does not see the same frame every time.
/// </summary>
[MemoryDiagnoser]
public class OpusBenchmarks
{
    private const int Rate = 16000;
    private const int Frame = 320;
    private const int Frames = 50;

    private readonly short[] wide = new short[Frames * Frame];
    private readonly short[] narrow = new short[Frame / 2];
    private readonly short[] pcm = new short[Frame];
    private readonly byte[] packet = new byte[1275];
    private readonly byte[][] packets = new byte[Frames][];
    private readonly Upsampler2x upsampler = new();
    private readonly Downsampler2x downsampler = new();
    private OpusEncoder encoder = null!;
    private OpusEncoder thoroughEncoder = null!;
    private OpusDecoder decoder = null!;
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < wide.Length; i++)
        {
            wide[i] = (short)(6000 * Math.Sin(2 * Math.PI * 220 * i / Rate * (1 + (i / 4000.0))) * (1 + Math.Sin(2 * Math.PI * 3 * i / Rate)));
        }

        encoder = new OpusEncoder(Rate);
        thoroughEncoder = new OpusEncoder(Rate, complexity: 10);
        decoder = new OpusDecoder(Rate);
        for (var f = 0; f < Frames; f++)
        {
            packets[f] = packet.AsSpan(0, encoder.Encode(wide.AsSpan(f * Frame, Frame), packet)).ToArray();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        encoder.Dispose();
        thoroughEncoder.Dispose();
        decoder.Dispose();
    }

    [Benchmark]
    public int Encode() => encoder.Encode(NextFrame(), packet);

    [Benchmark]
    public int EncodeAtComplexity10() => thoroughEncoder.Encode(NextFrame(), packet);

    [Benchmark]
    public int Decode() => decoder.Decode(packets[Next()], pcm);

    /// <summary>One lost packet among received ones; less <see cref="Decode"/>, the cost of concealing it.</summary>
    [Benchmark]
    public int DecodeThenConceal() => decoder.Decode(packets[Next()], pcm) + decoder.Decode([], pcm);

    [Benchmark]
    public int Upsample8To16() => upsampler.Process(narrow, pcm);

    [Benchmark]
    public int Downsample16To8() => downsampler.Process(NextFrame(), narrow);

    private ReadOnlySpan<short> NextFrame() => wide.AsSpan(Next() * Frame, Frame);

    private int Next() => next = (next + 1) % Frames;
}
