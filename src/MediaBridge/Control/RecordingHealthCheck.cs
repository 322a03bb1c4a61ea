using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MediaBridge.Control;

/// <summary>
/// Recording's state in the health report: degraded, with the alarm, while the disk floor keeps recorders
/// stopped. Degraded still answers 200: the node goes on carrying sessions, only their recording waits.
/// </summary>
public sealed class RecordingHealthCheck(GrainRecordingReports reports) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(reports.Alarm is { } alarm ? HealthCheckResult.Degraded(alarm) : HealthCheckResult.Healthy("recording is possible"));
}
