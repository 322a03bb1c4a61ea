using System.Security.Claims;
using Command.Contracts.Audit;
using Command.Web.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Command.Web.Audit;

/// <summary>
/// Appends an audit entry for every state-changing request and for every refused one (401, 403),
/// with who made it, what it was, what it targeted, and how it ended. The entry is written once
/// the response has gone out, so the chain never delays the operator; the change itself is
/// already persisted by then.
/// </summary>
public sealed partial class AuditMiddleware(RequestDelegate next, IGrainFactory grains, TimeProvider time, ILogger<AuditMiddleware> logger)
{
    /// <summary>Endpoints may add a detail, such as the user name a sign-in attempt named.</summary>
    public const string DetailItem = "command:audit-detail";

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
        {
            context.Response.OnCompleted(() => RecordAsync(context));
        }

        return next(context);
    }

    private Task RecordAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var changing = !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method));
        var denied = status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden;
        return changing || denied
            ? AppendAsync(grains, time, logger, context.User, $"{context.Request.Method} {context.Request.Path}", Target(context), status,
                context.Items[DetailItem] as string ?? "")
            : Task.CompletedTask;
    }

    public static async Task AppendAsync(
        IGrainFactory grains, TimeProvider time, ILogger logger, ClaimsPrincipal user, string action, string target, int outcome, string detail)
    {
        try
        {
            await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.DefaultKey).AppendAsync(new AuditRecord(
                time.GetUtcNow(), Authority.NameOf(user), user.FindFirstValue(CommandClaimTypes.Role) ?? "", action, target, outcome, detail));
        }
        catch (Exception e)
        {
            LogAppendFailed(logger, e, action);
        }
    }

    private static string Target(HttpContext context) =>
        context.Request.RouteValues.TryGetValue("id", out var id) && id is string s ? s : context.Request.Path.Value ?? "";

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not append the audit entry for {Action}")]
    private static partial void LogAppendFailed(ILogger logger, Exception e, string action);
}
