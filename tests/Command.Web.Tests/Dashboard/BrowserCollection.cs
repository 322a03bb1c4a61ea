namespace Command.Web.Tests.Dashboard;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserNodeFactory>
{
    public const string Name = "browser";
}
