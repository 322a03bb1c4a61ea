using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Command.Silo.Tests.Infrastructure;

/// <summary>A Command node running as its own OS process, as an operator would run it.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder errors = new();

    private SiloProcess(Process process, int httpPort)
    {
        this.process = process;
        HttpPort = httpPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public const string Operator = "operator";
    public const string OperatorPassword = "operator-password";

    private static readonly Lazy<string> OperatorHash =
        new(() => new Microsoft.AspNetCore.Identity.PasswordHasher<object>().HashPassword(null!, OperatorPassword));

    public int HttpPort { get; }

    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Standard error alone: what an operator sees when the node refuses to start.</summary>
    public string Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public static SiloProcess Start(string workingDirectory, params string[] settings) =>
        StartAssembly(Repository.SiloAssembly, workingDirectory, settings);

    /// <summary>A node from a given program file, such as a published folder's.</summary>
    public static SiloProcess StartAssembly(string assembly, string workingDirectory, params string[] settings)
    {
        var httpPort = Ports.Free();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(assembly);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}");
        info.ArgumentList.Add($"--Command:SiloPort={Ports.Free().ToString(CultureInfo.InvariantCulture)}");
        info.ArgumentList.Add($"--Command:GatewayPort={Ports.Free().ToString(CultureInfo.InvariantCulture)}");
        info.ArgumentList.Add("--Command:Bridge:SipAddress=127.0.0.1");
        info.ArgumentList.Add("--Command:Bridge:SipPort=0");
        info.ArgumentList.Add($"--Command:Auth:Users:0:Name={Operator}");
        info.ArgumentList.Add($"--Command:Auth:Users:0:PasswordHash={OperatorHash.Value}");
        info.ArgumentList.Add("--Command:Auth:Users:0:Role=admin");
        info.ArgumentList.Add("--Command:Auth:Users:0:Region=440000");
        foreach (var setting in settings)
        {
            info.ArgumentList.Add(setting);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var silo = new SiloProcess(process, httpPort);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            silo.Append(e.Data);
            if (e.Data is not null)
            {
                lock (silo.errors)
                {
                    silo.errors.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits for /health to answer 200 and returns how long that took.</summary>
    public async Task<TimeSpan> WaitHealthyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                Assert.Fail($"The silo exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await Http.GetAsync("/health", TestContext.Current.CancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"The silo was not healthy within {timeout}:\n{Output}");
        return clock.Elapsed;
    }

    /// <summary>Signs in as the configured operator; every later request through <see cref="Http"/> carries the token.</summary>
    public async Task<string> SignInAsync()
    {
        var issued = await Http.PostJsonAsync("/api/auth/token", new { username = Operator, password = OperatorPassword });
        var token = (string)issued["accessToken"]!;
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return token;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush; only what the store acknowledged survives.</summary>
    public void KillHard()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        KillHard();
        Http.Dispose();
        process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
