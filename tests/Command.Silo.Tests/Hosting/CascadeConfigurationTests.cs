using Command.Silo.Tests.Infrastructure;

namespace Command.Silo.Tests.Hosting;

/// <summary>A configured uplink that cannot work stops start-up with exit code 2 and a line naming it, never its password.</summary>
public sealed class CascadeConfigurationTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-cascade-");

    [Fact]
    public async Task A_bad_configured_uplink_stops_start_up_with_a_message_naming_it()
    {
        const string Password = "configured-secret-4406";
        await using var node = SiloProcess.Start(
            work.FullName,
            $"--Command:DataDirectory={Path.Combine(work.FullName, "data")}",
            "--Command:Cascade:Uplinks:0:Name=省平台",
            "--Command:Cascade:Uplinks:0:Registrar=sip:4406@10.1.0.5;transport=tcp",
            "--Command:Cascade:Uplinks:0:Username=4406",
            $"--Command:Cascade:Uplinks:0:Password={Password}");

        Assert.True(await node.WaitForExitAsync(TimeSpan.FromSeconds(60)), node.Output);
        Assert.Equal(2, node.ExitCode);
        Assert.Contains("Command:Cascade:Uplinks:0", node.Errors, StringComparison.Ordinal);
        Assert.Contains("registrar must be", node.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, node.Output, StringComparison.Ordinal);
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
}
