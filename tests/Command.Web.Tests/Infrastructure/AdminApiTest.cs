namespace Command.Web.Tests.Infrastructure;

/// <summary>A test class whose <c>http</c> client is signed in as the province-wide admin.</summary>
public abstract class AdminApiTest(CommandApiFactory factory) : IAsyncLifetime
{
    protected HttpClient http = null!;

    protected CommandApiFactory Factory => factory;

    public async ValueTask InitializeAsync() => http = await factory.CreateClientAsAsync(TestUsers.Admin);

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
