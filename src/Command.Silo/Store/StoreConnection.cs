using StackExchange.Redis;

namespace Command.Silo.Store;

/// <summary>The one connection string every Redis provider of this node uses, and a shared multiplexer for health and upkeep.</summary>
public sealed class StoreConnection(string connectionString, bool embedded) : IDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> multiplexer =
        new(async () => await ConnectionMultiplexer.ConnectAsync(Options(connectionString)));

    public string ConnectionString { get; } = connectionString;

    public bool Embedded { get; } = embedded;

    public static ConfigurationOptions Options(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        return options;
    }

    public Task<IConnectionMultiplexer> GetAsync() => multiplexer.Value;

    public void Dispose()
    {
        if (multiplexer.IsValueCreated && multiplexer.Value.IsCompletedSuccessfully)
        {
            multiplexer.Value.Result.Dispose();
        }
    }
}
