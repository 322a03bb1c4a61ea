using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;

namespace Command.Silo.Tests.Telemetry;

/// <summary>Debian's Prometheus server scrapes a running node's /metrics and answers queries on what it scraped.</summary>
public sealed class PrometheusScrapeTests : IDisposable
{
    private const string PrometheusBinary = "/usr/bin/prometheus";
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-metrics-");

    [Fact]
    public async Task Prometheus_scrapes_the_node_and_sees_the_store_checkpoints_and_the_media_meters()
    {
        Assert.True(File.Exists(PrometheusBinary), "prometheus is not installed (apt-get install prometheus)");
        await using var node = SiloProcess.Start(work.FullName, $"--Command:DataDirectory={Path.Combine(work.FullName, "data")}", "--Command:CheckpointMinutes=0.05");
        await node.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var anonymous = await node.Http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.True(anonymous.IsSuccessStatusCode, $"/metrics answered {(int)anonymous.StatusCode} without sign-in");

        var prometheusPort = Ports.Free();
        var config = Path.Combine(work.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: command
                metrics_path: /metrics
                static_configs:
                  - targets: ['127.0.0.1:{node.HttpPort.ToString(CultureInfo.InvariantCulture)}']
            """, TestContext.Current.CancellationToken);
        using var prometheus = StartPrometheus(config, prometheusPort);
        using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheusPort.ToString(CultureInfo.InvariantCulture)}") };
        try
        {
            // Checkpoints every 3 s: the counter must be scraped rising past its first period.
            var checkpoints = await EventuallyAsync(api, "sum(command_store_checkpoints_total{outcome=\"ok\"})", v => v >= 2, TimeSpan.FromSeconds(60));
            Assert.True(checkpoints >= 2, $"{checkpoints} checkpoints scraped");

            Assert.Equal(0, await EventuallyAsync(api, "sum(command_media_legs)", _ => true, TimeSpan.FromSeconds(30)));
            foreach (var gauge in new[] { "command_feeds_ingested", "command_media_watches", "command_recordings_active" })
            {
                Assert.Equal(0, await EventuallyAsync(api, $"sum({gauge})", _ => true, TimeSpan.FromSeconds(30)));
            }

            Assert.Equal(1, await EventuallyAsync(api, "up{job=\"command\"}", v => v == 1, TimeSpan.FromSeconds(30)));
            Assert.True(await EventuallyAsync(api, "count({__name__=~\"orleans_.*\"})", v => v > 0, TimeSpan.FromSeconds(30)) > 0, "no Orleans metric scraped");
            Assert.True(await EventuallyAsync(api, "count({__name__=~\"http_server_request_duration_seconds_count\"})", v => v > 0, TimeSpan.FromSeconds(30)) > 0, "no ASP.NET Core metric scraped");
        }
        finally
        {
            if (!prometheus.HasExited)
            {
                prometheus.Kill(entireProcessTree: true);
                await prometheus.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            work.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Process StartPrometheus(string config, int port)
    {
        var info = new ProcessStartInfo(PrometheusBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add($"--config.file={config}");
        info.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(work.FullName, "tsdb")}");
        info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Asks Prometheus' query API until the first sample's value passes, and returns the last value read.</summary>
    private static async Task<double> EventuallyAsync(HttpClient api, string query, Func<double, bool> passes, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var last = double.NaN;
        var answer = "";
        while (clock.Elapsed < timeout)
        {
            try
            {
                answer = await api.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query), TestContext.Current.CancellationToken);
                var result = JsonNode.Parse(answer)!["data"]!["result"]!.AsArray();
                if (result.Count > 0)
                {
                    last = double.Parse((string)result[0]!["value"]![1]!, CultureInfo.InvariantCulture);
                    if (passes(last))
                    {
                        return last;
                    }
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"'{query}' never passed within {timeout}; last answer: {answer}");
        return last;
    }
}
