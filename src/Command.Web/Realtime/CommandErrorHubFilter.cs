using Command.Contracts;
using Command.Web.Audit;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace Command.Web.Realtime;

/// <summary>A refused hub call reaches the client with its reason; anything else stays a generic error.</summary>
internal sealed class CommandErrorHubFilter(IGrainFactory grains, TimeProvider time, ILogger<CommandErrorHubFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (CommandException e)
        {
            if (e.Kind == CommandErrorKind.Forbidden)
            {
                var args = string.Join(", ", invocationContext.HubMethodArguments);
                await AuditMiddleware.AppendAsync(
                    grains, time, logger, invocationContext.Context.User!, $"HUB {invocationContext.HubMethodName}", args, 403, e.Message);
            }

            throw new HubException(e.Message);
        }
    }
}
