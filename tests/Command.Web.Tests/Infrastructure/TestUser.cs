namespace Command.Web.Tests.Infrastructure;

public sealed record TestUser(string Name, string PasswordHash, string Role, string Region);
