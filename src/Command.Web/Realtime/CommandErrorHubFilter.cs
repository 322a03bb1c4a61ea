using Command.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Command.Web.Realtime;

/// <summary>A refused hub call reaches the client with its reason; anything else stays a generic error.</summary>
internal sealed class CommandErrorHubFilter : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (CommandException e)
        {
            throw new HubException(e.Message);
        }
    }
}
