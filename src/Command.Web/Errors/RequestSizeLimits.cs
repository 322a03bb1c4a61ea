using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Command.Web.Errors;

/// <summary>
/// Kestrel refuses an over-long request line (414) or header block (431) on its own, with an empty body.
/// Its limits are raised well above what the API accepts (<see cref="ConfigureKestrel"/>), so this
/// middleware meets such requests first and answers them as problem details like every other error;
/// only requests past Kestrel's raised limits still get its bare answer.
/// </summary>
internal sealed class RequestSizeLimits(RequestDelegate next)
{
    /// <summary>The longest path and query the API takes; no route or filter needs more.</summary>
    public const int MaxTarget = 8 * 1024;

    /// <summary>The largest header block the API takes: a bearer token and a sign-in cookie fit many times over.</summary>
    public const int MaxHeaders = 32 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var target = request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
        if (target > MaxTarget)
        {
            context.Response.StatusCode = StatusCodes.Status414UriTooLong;
            return Task.CompletedTask;
        }

        var headers = 0;
        foreach (var (name, values) in request.Headers)
        {
            headers += name.Length + 4;
            foreach (var value in values)
            {
                headers += value?.Length ?? 0;
            }
        }

        if (headers > MaxHeaders)
        {
            context.Response.StatusCode = StatusCodes.Status431RequestHeaderFieldsTooLarge;
            return Task.CompletedTask;
        }

        return next(context);
    }

    /// <summary>Kestrel's own limits, set above this middleware's so that it sees the request first.</summary>
    internal sealed class ConfigureKestrel : IConfigureOptions<KestrelServerOptions>
    {
        public void Configure(KestrelServerOptions options)
        {
            options.Limits.MaxRequestLineSize = 4 * MaxTarget;
            options.Limits.MaxRequestHeadersTotalSize = 2 * MaxHeaders;
        }
    }
}
