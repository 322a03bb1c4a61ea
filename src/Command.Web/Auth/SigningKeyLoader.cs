using Command.Web.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Command.Web.Auth;

/// <summary>Loads the token signing key before the host takes requests, waiting for the cluster if it is still settling.</summary>
internal sealed class SigningKeyLoader(SigningKeyProvider keys, ILogger<SigningKeyLoader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        StartupRetry.RunAsync("load the token signing key", keys.LoadAsync, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
