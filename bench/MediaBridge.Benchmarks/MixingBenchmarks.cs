using BenchmarkDotNet.Attributes;
using MediaBridge.Audio;

namespace MediaBridge.Benchmarks;

/// <summary>One 20 ms G.711 frame for a conference of N SIP legs: decode all, mix, and encode each leg's N-1 mix.</summary>
[MemoryDiagnoser]
public class MixingBenchmarks
{
    private readonly NMinusOneMixer mixer = new(160);
    private byte[][] encoded = [];
    private short[][] pcm = [];
    private readonly short[] output = new short[160];
    private readonly byte[] wire = new byte[160];

    [Params(8, 32)]
    public int Legs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        encoded = [.. Enumerable.Range(0, Legs).Select(i => Enumerable.Range(0, 160).Select(s => (byte)((s * 7) + i)).ToArray())];
        pcm = [.. Enumerable.Range(0, Legs).Select(_ => new short[160])];
    }

    [Benchmark]
    public void Frame()
    {
        mixer.Begin();
        for (var i = 0; i < Legs; i++)
        {
            G711.Decode(i % 2 == 0 ? PayloadKind.Pcmu : PayloadKind.Pcma, encoded[i], pcm[i]);
            mixer.Add(pcm[i]);
        }

        for (var i = 0; i < Legs; i++)
        {
            mixer.Render(pcm[i], contributed: true, output);
            G711.Encode(i % 2 == 0 ? PayloadKind.Pcmu : PayloadKind.Pcma, output, wire);
        }
    }
}
