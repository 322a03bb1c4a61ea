using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Command.Web.Apis.Requests;

/// <summary>
/// Caps request bodies at <see cref="MaxBytes"/>, which holds any request the API takes, so a large
/// body is refused with 413 before it is read or parsed: at once when Content-Length says so,
/// otherwise when the reader passes the cap. SDP offers are left to their own endpoint's cap.
/// </summary>
internal sealed class JsonBodyLimit(RequestDelegate next)
{
    public const long MaxBytes = 64 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentType is { } type && type.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        if (request.ContentLength is null && request.Body.CanRead)
        {
            request.Body = new CappedStream(request.Body, MaxBytes);
        }

        return next(context);
    }

    public static BadHttpRequestException TooLarge() =>
        new($"The request body is larger than {MaxBytes / 1024} KiB.", StatusCodes.Status413PayloadTooLarge);
}
