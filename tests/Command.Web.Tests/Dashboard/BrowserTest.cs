namespace Command.Web.Tests.Dashboard;

/// <summary>A dashboard test class: the browser collection's one node, and a <see cref="WorkflowBrowser"/> on it for each test.</summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserNodeFactory node, bool inChina = false, params string[] switches) : IAsyncLifetime
{
    protected BrowserNodeFactory Node { get; } = node;

    protected WorkflowBrowser Browser { get; } = new(node, inChina, switches);

    protected HttpClient Admin => Browser.Admin;

    public async ValueTask InitializeAsync() => await Browser.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
