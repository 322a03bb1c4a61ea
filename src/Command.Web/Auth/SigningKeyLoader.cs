using Microsoft.Extensions.Hosting;

namespace Command.Web.Auth;

/// <summary>Loads the token signing key before the host takes requests.</summary>
internal sealed class SigningKeyLoader(SigningKeyProvider keys) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => keys.LoadAsync();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
