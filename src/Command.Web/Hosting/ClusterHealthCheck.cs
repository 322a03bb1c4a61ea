using Command.Contracts.Regions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Command.Web.Hosting;

/// <summary>Healthy when a grain call reaches the cluster and the network topology is loaded.</summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var regions = await grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey)
                .GetRegionsAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return regions.Length > 0
                ? HealthCheckResult.Healthy($"{regions.Length} regions")
                : HealthCheckResult.Unhealthy("the topology is not loaded yet");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("the cluster does not answer", e);
        }
    }
}
