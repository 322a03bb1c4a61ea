using System.Globalization;
using System.Security.Claims;
using Command.Contracts.Audit;
using Command.Web.Auth;
using Command.Web.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Command.Web.Audit;

/// <summary>
/// Records every state-changing request and every refused one (401, 403) in the audit chain, with who made it, from
/// where, what it was, what it targeted, its parameters (secrets masked) and how it ended.
/// A state-changing request is recorded in two entries. The <see cref="AuditKinds.Attempt"/> entry is appended
/// before the endpoint runs; if it cannot be made durable the request is refused with 503 and Retry-After and does
/// not run, so nothing is ever acknowledged without its entry. The <see cref="AuditKinds.Outcome"/> entry, naming the
/// attempt, is appended as the response starts; if that fails the attempt still stands and the outcome is retried
/// in the background (by id, so it lands once). Refused reads get one <see cref="AuditKinds.Event"/> entry.
/// </summary>
public sealed partial class AuditMiddleware(
    RequestDelegate next, AuditWriter writer, IOptions<AuditOptions> options, IProblemDetailsService problems, TimeProvider time,
    ILogger<AuditMiddleware> logger)
{
    /// <summary>Endpoints may add a detail, such as the user name a sign-in attempt named.</summary>
    public const string DetailItem = "command:audit-detail";

    /// <summary>How long a response waits for its outcome entry before leaving it to the background retry.</summary>
    private static readonly TimeSpan OutcomeWait = TimeSpan.FromSeconds(2);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/hubs"))
        {
            await next(context);
            return;
        }

        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
        {
            context.Response.OnStarting(() => RecordRefusalAsync(context));
            await next(context);
            return;
        }

        var attempt = Record(context, AuditKinds.Attempt, 0, "", await AuditParameters.DescribeAsync(context, options.Value.MaxParametersLength));
        try
        {
            await writer.AppendAsync(attempt, context.RequestAborted);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogAttemptNotRecorded(logger, e, attempt.Action);
            await RefuseAsync(context);
            return;
        }

        context.Response.OnStarting(() => writer.AppendOrRetryAsync(
            Record(context, AuditKinds.Outcome, context.Response.StatusCode, context.Items[DetailItem] as string ?? "", "") with { Completes = attempt.EntryId },
            OutcomeWait));
        await next(context);
    }

    /// <summary>Records a refusal outside the HTTP pipeline, such as a refused hub call.</summary>
    public static async Task AppendAsync(
        IGrainFactory grains, TimeProvider time, ILogger logger, ClaimsPrincipal user, string action, string target, int outcome, string detail)
    {
        try
        {
            await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.DefaultKey).AppendAsync(new AuditRecord(
                time.GetUtcNow(), Authority.NameOf(user), user.FindFirstValue(CommandClaimTypes.Role) ?? "", action, target, outcome, detail,
                Guid.NewGuid().ToString("N"), AuditKinds.Event));
        }
        catch (Exception e)
        {
            LogAppendFailed(logger, e, action);
        }
    }

    private Task RecordRefusalAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        return status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden
            ? writer.AppendOrRetryAsync(
                Record(context, AuditKinds.Event, status, context.Items[DetailItem] as string ?? "", AuditParameters.DescribeQuery(context, options.Value.MaxParametersLength)),
                OutcomeWait)
            : Task.CompletedTask;
    }

    private AuditRecord Record(HttpContext context, string kind, int outcome, string detail, string parameters) => new(
        time.GetUtcNow(),
        Authority.NameOf(context.User),
        context.User.FindFirstValue(CommandClaimTypes.Role) ?? "",
        $"{context.Request.Method} {context.Request.Path}",
        Target(context),
        outcome,
        detail,
        Guid.NewGuid().ToString("N"),
        kind,
        "",
        parameters,
        context.Connection.RemoteIpAddress?.ToString() ?? "");

    private async Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = ((int)TransientFailure.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Temporarily unavailable",
                Detail = "The audit trail cannot record this request right now, so it was not carried out. Try again shortly.",
            },
        });
    }

    private static string Target(HttpContext context) =>
        context.Request.RouteValues.TryGetValue("id", out var id) && id is string s ? s : context.Request.Path.Value ?? "";

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not append the audit entry for {Action}")]
    private static partial void LogAppendFailed(ILogger logger, Exception e, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Action} with 503: its audit entry could not be recorded")]
    private static partial void LogAttemptNotRecorded(ILogger logger, Exception e, string action);
}
