using System.Globalization;
using Command.Silo.Store;
using StackExchange.Redis;

namespace Command.Silo.Hosting;

/// <summary>
/// <c>Command.Silo backup FOLDER</c>: copies this node's embedded store into FOLDER, which is then a data directory
/// to start a node on (restore). With the node running, it asks the store for a checkpoint, copies the checkpoint,
/// the data log and the append-only log, and checks that no other checkpoint replaced it meanwhile; with the node
/// stopped, it copies the files as they are. Either way it then opens the copy as a store of its own: recovery replays
/// the copied log onto the checkpoint (a log copied mid-write ends at its last whole commit), and a fresh checkpoint
/// of the result makes the copy self-contained. So the copy holds the state at one moment, the end of the copy, and a
/// copy that would not recover is reported, never kept.
/// </summary>
public static class BackupTool
{
    private const int Attempts = 3;
    private static readonly TimeSpan CheckpointTimeout = TimeSpan.FromSeconds(120);

    public static bool IsInvoked(string[] args) => args is ["backup", ..];

    /// <summary>Where a running node notes its embedded store's port, beside the store folder.</summary>
    public static string PortFile(string dataDirectory) => Path.Combine(dataDirectory, "store.port");

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not ["backup", var target, .. var settings] || target.StartsWith('-'))
        {
            Console.Error.WriteLine("Usage: Command.Silo backup FOLDER [--Command:DataDirectory=…]   (FOLDER must not exist or be empty)");
            return 1;
        }

        // The node's files are open in the running store, which holds advisory locks on them; reading is safe.
        AppContext.SetSwitch("System.IO.DisableFileLocking", true);
        var builder = WebApplication.CreateBuilder(settings);
        ConfigDirectory.Add(builder.Configuration, builder.Environment.EnvironmentName);
        var options = builder.Configuration.GetSection(CommandOptions.Section).Get<CommandOptions>() ?? new CommandOptions();
        if (!string.IsNullOrWhiteSpace(options.Redis))
        {
            Console.Error.WriteLine("This node keeps its data in Redis (Command:Redis): back up Redis itself (BGSAVE, then copy its dump.rdb and appendonly files; see README).");
            return 1;
        }

        var data = Path.GetFullPath(options.DataDirectory, builder.Environment.ContentRootPath);
        var source = Path.Combine(data, "store");
        var destination = Path.GetFullPath(target);
        if (!Directory.Exists(source))
        {
            Console.Error.WriteLine($"No embedded store under {data}: set Command:DataDirectory as the node has it.");
            return 1;
        }

        if (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any())
        {
            Console.Error.WriteLine($"{destination} is not empty; give a new folder.");
            return 1;
        }

        try
        {
            using var running = await ConnectAsync(data);
            for (var attempt = 1; ; attempt++)
            {
                Reset(destination);
                var copied = running is null ? Copy(source, destination) : await CopyCheckpointedAsync(running, source, destination);
                if (copied)
                {
                    break;
                }

                if (attempt == Attempts)
                {
                    Console.Error.WriteLine("Another checkpoint replaced the one being copied, again and again; try again later.");
                    return 1;
                }
            }

            var keys = await SealAsync(destination);
            Console.WriteLine($"Backed up {keys} keys from {data} ({(running is null ? "node stopped" : "node running")}) to {destination}");
            Console.WriteLine($"Restore: stop the node, put {destination} in place of {data} (or set Command:DataDirectory to it), start the node.");
            return 0;
        }
        catch (Exception e) when (e is RedisException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            Console.Error.WriteLine($"Backup failed, nothing usable was written: {e.Message}");
            Reset(destination);
            return 1;
        }
    }

    /// <summary>The running node's store, or null when none answers on the port it noted (the node is stopped).</summary>
    private static async Task<IConnectionMultiplexer?> ConnectAsync(string data)
    {
        var portFile = PortFile(data);
        if (!File.Exists(portFile) || !int.TryParse(await File.ReadAllTextAsync(portFile), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }

        var options = StoreConnection.Options($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        options.AllowAdmin = true;
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 3000;
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(options);
        }
        catch (RedisConnectionException)
        {
            return null;
        }
    }

    /// <summary>
    /// Checkpoints the running store and copies its folder. False when a newer checkpoint (the node's own timer)
    /// completed during the copy: that one may have removed files of the copied checkpoint and cut the log.
    /// </summary>
    private static async Task<bool> CopyCheckpointedAsync(IConnectionMultiplexer connection, string source, string destination)
    {
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var started = DateTime.UtcNow;
        var before = await server.LastSaveAsync();

        // LASTSAVE counts whole seconds: a checkpoint finishing within the second of the one before would not show.
        if (started - before < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        await server.SaveAsync(SaveType.BackgroundSave);
        var deadline = DateTime.UtcNow + CheckpointTimeout;
        DateTime taken;
        while ((taken = await server.LastSaveAsync()) == before)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the store did not complete a checkpoint within {CheckpointTimeout.TotalSeconds} s");
            }

            await Task.Delay(100);
        }

        // A stale port file could name another program's store: this one's folder must have just been written to.
        if (Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Max(File.GetLastWriteTimeUtc) < started.AddSeconds(-1))
        {
            throw new IOException($"the store answering on the noted port did not write under {source}; is the node's data directory another one?");
        }

        Copy(source, destination);
        return await server.LastSaveAsync() == taken;
    }

    /// <summary>Copies files whose names say they describe others (metadata, commits) before the rest, so no description points past the data copied.</summary>
    private static bool Copy(string source, string destination)
    {
        var files = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories)
            .OrderBy(f => IsDescription(f) ? 0 : 1)
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToList();
        foreach (var file in files)
        {
            var to = Path.Combine(destination, "store", Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            try
            {
                File.Copy(file, to, overwrite: true);
            }
            catch (FileNotFoundException)
            {
                // Removed by the store meanwhile (an outdated checkpoint or log segment); the final check decides.
            }
        }

        return true;
    }

    private static bool IsDescription(string file)
    {
        var name = Path.GetFileName(file);
        return name.Contains("commit", StringComparison.OrdinalIgnoreCase)
            || name.Contains("info", StringComparison.OrdinalIgnoreCase)
            || name.Contains("meta", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Opens the copy as a store: it must recover; its own checkpoint then covers everything replayed.</summary>
    private static async Task<long> SealAsync(string destination)
    {
        using var store = new EmbeddedStore(destination, 0);
        var options = StoreConnection.Options(store.ConnectionString);
        options.AllowAdmin = true;
        using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var keys = await server.DatabaseSizeAsync();
        await server.ExecuteAsync("SAVE");
        return keys;
    }

    private static void Reset(string destination)
    {
        if (Directory.Exists(destination))
        {
            Directory.Delete(destination, recursive: true);
        }

        Directory.CreateDirectory(destination);
    }
}
