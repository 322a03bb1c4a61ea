using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Command.Silo.Store;

/// <summary>Healthy when the store answers a PING.</summary>
internal sealed class StoreHealthCheck(StoreConnection store, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await store.GetAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            var latency = await connection.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            var checkpoints = services.GetService<StoreCheckpointer>() is { } c ? $", {c.Completed} checkpoints, {c.Failed} failed" : "";
            return HealthCheckResult.Healthy($"{(store.Embedded ? "embedded" : "redis")} store, ping {latency.TotalMilliseconds:F1} ms{checkpoints}");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("the store does not answer", e);
        }
    }
}
