using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MediaBridge.Control;

/// <summary>
/// Metrics and traces of a Command process with OpenTelemetry: the process's own meters, ASP.NET Core,
/// the .NET runtime and Orleans, scraped by Prometheus on /metrics; traces through ASP.NET Core and
/// Orleans calls, and everything over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Orleans' own meter: activations, messages, membership, grain calls.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    public static IHostApplicationBuilder AddCommandTelemetry(this IHostApplicationBuilder builder, string serviceName, params string[] meters)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(m =>
            {
                m.AddMeter([MediaMeters.MeterName, OrleansMeter, .. meters]);
                m.AddAspNetCoreInstrumentation();
                m.AddRuntimeInstrumentation();
                m.AddPrometheusExporter();
            })
            .WithTracing(t =>
            {
                t.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
                t.AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/metrics"));
            });
        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>The Prometheus scrape endpoint, open without sign-in like <c>/health</c>.</summary>
    public static IEndpointConventionBuilder MapCommandMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
}
