namespace Command.Web.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<CommandApiFactory>
{
    public const string Name = "api";
}
