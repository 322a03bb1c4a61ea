using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using StackExchange.Redis;

namespace MediaBridge.Control;

public static class BridgeClientExtensions
{
    /// <summary>
    /// Joins a Redis-clustered Command deployment as an Orleans client, so the bridge can run on a
    /// machine of its own. <c>Command:Redis</c>, <c>Command:ClusterId</c> and <c>Command:ServiceId</c>
    /// must match the silos'. Its metrics are served on <c>/metrics</c> by the program's web listener.
    /// </summary>
    public static IHostApplicationBuilder AddBridgeClient(this IHostApplicationBuilder builder)
    {
        var redis = builder.Configuration["Command:Redis"];
        if (string.IsNullOrWhiteSpace(redis))
        {
            throw new ValidationException("The bridge runs as its own process only beside a Redis cluster: set Command:Redis.");
        }

        builder.UseOrleansClient(client =>
        {
            var options = ConfigurationOptions.Parse(redis);
            options.AbortOnConnectFail = false;
            client.UseRedisClustering(o => o.ConfigurationOptions = options);
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = builder.Configuration["Command:ClusterId"] ?? "command";
                o.ServiceId = builder.Configuration["Command:ServiceId"] ?? "command";
            });
            client.AddActivityPropagation();
        });
        builder.Services.AddMediaBridge();
        builder.AddCommandTelemetry("command-bridge");
        return builder;
    }
}
