using MediaBridge.Conference;

namespace MediaBridge.Tests.Conference;

public sealed class AudioFifoTests
{
    [Fact]
    public void Reads_return_the_newest_samples_in_order_across_wrap_around_and_overflow()
    {
        var fifo = new AudioFifo(100);
        var model = new Queue<short>();
        var random = new Random(3);
        short next = 0;
        for (var step = 0; step < 5000; step++)
        {
            if (random.Next(3) > 0)
            {
                var samples = Enumerable.Range(0, random.Next(0, 130)).Select(_ => next++).ToArray();
                fifo.Write(samples);
                foreach (var s in samples)
                {
                    model.Enqueue(s);
                    if (model.Count > 100)
                    {
                        model.Dequeue();
                    }
                }
            }
            else
            {
                var frame = new short[random.Next(1, 60)];
                var read = fifo.TryRead(frame);
                Assert.Equal(model.Count >= frame.Length, read);
                if (read)
                {
                    Assert.Equal(Enumerable.Range(0, frame.Length).Select(_ => model.Dequeue()), frame);
                }
            }

            Assert.Equal(model.Count, fifo.Count);
        }
    }
}
