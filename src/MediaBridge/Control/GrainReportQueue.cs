using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace MediaBridge.Control;

/// <summary>
/// Reports bound for grains, delivered one at a time and in order, off the media and planning threads that make
/// them; when 1,000 wait the oldest go, as a newer report of the same thing supersedes it. A failed delivery is
/// logged and the next one goes on.
/// </summary>
public sealed class GrainReportQueue<TReport>(string subject, Func<string, TReport, Task> deliver, ILogger logger)
{
    private readonly Channel<(string Id, TReport Report)> queue = Channel.CreateBounded<(string, TReport)>(new BoundedChannelOptions(1000)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    public void Enqueue(string id, TReport report) => queue.Writer.TryWrite((id, report));

    public async Task RunAsync(CancellationToken cancel)
    {
        try
        {
            await foreach (var (id, report) in queue.Reader.ReadAllAsync(cancel))
            {
                try
                {
                    await deliver(id, report);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    GrainReportLog.DeliveryFailed(logger, e, subject, id);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
