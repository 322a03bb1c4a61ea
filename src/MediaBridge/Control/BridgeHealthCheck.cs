using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MediaBridge.Control;

/// <summary>Healthy once the bridge listens for SIP.</summary>
public sealed class BridgeHealthCheck(SipBridgeService bridge) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(bridge.SipEndPoint is { } endPoint
            ? HealthCheckResult.Healthy($"SIP on udp+tcp {endPoint}, {bridge.Registrar?.AllBindings().Count ?? 0} registered terminals, {bridge.Watches} watching")
            : HealthCheckResult.Unhealthy("the SIP transport is not listening yet"));
}
