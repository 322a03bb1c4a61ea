using StackExchange.Redis;

namespace Command.Silo.Store;

/// <summary>The one connection string every Redis provider of this node uses, and a shared multiplexer for health and upkeep.</summary>
public sealed class StoreConnection(string connectionString, bool embedded) : IDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> multiplexer =
        new(async () => await ConnectionMultiplexer.ConnectAsync(Options(connectionString)));

    // Checkpoint commands are refused by the client library unless the connection is in admin mode;
    // only upkeep uses this one, so the rest of the node cannot issue them by mistake.
    private readonly Lazy<Task<IConnectionMultiplexer>> admin =
        new(async () => await ConnectionMultiplexer.ConnectAsync(AdminOptions(connectionString)));

    public string ConnectionString { get; } = connectionString;

    public bool Embedded { get; } = embedded;

    public static ConfigurationOptions Options(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        return options;
    }

    public Task<IConnectionMultiplexer> GetAsync() => multiplexer.Value;

    public Task<IConnectionMultiplexer> GetAdminAsync() => admin.Value;

    public void Dispose()
    {
        foreach (var lazy in new[] { multiplexer, admin })
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Dispose();
            }
        }
    }

    private static ConfigurationOptions AdminOptions(string connectionString)
    {
        var options = Options(connectionString);
        options.AllowAdmin = true;
        return options;
    }
}
