using System.Text.Json;
using Command.Contracts;
using Command.Web.Auth;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Command.Web.Errors;

/// <summary>
/// Turns refused commands and unreadable requests into RFC 7807 problem details:
/// 400 for bad input, 404 for an unknown id, 409 for a rule the command would break, and 503 with
/// Retry-After while the cluster or its store is briefly away (never a bare 500 for that).
/// </summary>
internal sealed class CommandExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            CommandException { Kind: CommandErrorKind.NotFound } e => (StatusCodes.Status404NotFound, "Not found", e.Message),
            CommandException { Kind: CommandErrorKind.Conflict } e => (StatusCodes.Status409Conflict, "Refused by a rule", e.Message),
            CommandException { Kind: CommandErrorKind.Forbidden } e => (StatusCodes.Status403Forbidden, "Outside your authority", e.Message),
            SignInRefusedException e => (StatusCodes.Status401Unauthorized, "Sign-in refused", e.Message),
            SignInLockedException e => (StatusCodes.Status429TooManyRequests, "Locked out", e.Message),
            CommandException e => (StatusCodes.Status400BadRequest, "Invalid request", e.Message),
            BadHttpRequestException { InnerException: JsonException j } => (StatusCodes.Status400BadRequest, "Invalid JSON", Describe(j)),
            BadHttpRequestException e => (e.StatusCode, "Invalid request", e.Message),
            _ when TransientFailure.Is(exception, out var what) => (StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable", what),
            _ => (0, "", ""),
        };

        if (status == 0)
        {
            return false;
        }

        context.Response.StatusCode = status;
        if (exception is SignInLockedException locked)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling((locked.Until - DateTimeOffset.UtcNow).TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = ((int)TransientFailure.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    // System.Text.Json names .NET types in some messages; a client only needs the JSON path.
    private static string Describe(JsonException e) => e.Message.Contains("could not be mapped", StringComparison.Ordinal)
        ? $"Unknown property at {e.Path}."
        : e.Message;
}
