using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Command.Silo.Tests.Infrastructure;

namespace Command.Silo.Tests.Install;

/// <summary>
/// The folder `dotnet publish` makes is the whole install: copied away from the source tree and run from an empty
/// directory, it serves the dashboard with its browser libraries, the sample topology and the API, fetching nothing.
/// </summary>
public sealed class PublishedFolderTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("command-publish-");

    [Fact]
    public async Task A_published_folder_runs_on_its_own_from_an_empty_directory_and_serves_the_dashboard_and_the_api()
    {
        var published = Path.Combine(work.FullName, "command");
        var (exit, output) = await RunAsync(Repository.Root, "publish", Path.Combine("src", "Command.Silo"), "-c", "Release", "-o", published, "--nologo");
        Assert.True(exit == 0, output);
        Assert.False(Directory.Exists(Path.Combine(published, "data")), "a publish must not carry a data directory");

        var empty = Directory.CreateDirectory(Path.Combine(work.FullName, "run")).FullName;
        await using var node = SiloProcess.StartAssembly(
            Path.Combine(published, "Command.Silo.dll"), empty, $"--Command:DataDirectory={Path.Combine(empty, "data")}", "--Command:Bridge:Enabled=false");
        await node.WaitHealthyAsync(TimeSpan.FromSeconds(90));

        foreach (var page in new[] { "/", "/login.html", "/venue.html", "/lib/signalr/signalr.min.js", "/js/dashboard.js" })
        {
            using var response = await node.Http.GetAsync(page, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {(int)response.StatusCode}");
        }

        await node.SignInAsync();
        var venues = (JsonArray)(await node.Http.GetJsonAsync("/api/venues"))!;
        Assert.Contains(venues, v => (string?)v!["id"] == "fs-main");
        var session = await node.Http.PostJsonAsync(
            "/api/sessions", new { title = "published", kind = "meeting", chairVenueId = "fs-main", venueIds = new[] { "fs-nanhai" } }, HttpStatusCode.Created);
        Assert.Equal("scheduled", (string?)session["state"]);
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

    private static async Task<(int Exit, string Output)> RunAsync(string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
