using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Command.Web.Apis;

/// <summary>
/// The HTTP side of an SDP offer/answer exchange, shared by browsers joining (WHIP, RFC 9725) and
/// watching (WHEP): the offer read within a size limit, the answer with 201 and its Location, and a
/// refusal while no bridge can answer with 503 and a Retry-After.
/// </summary>
public static class SdpExchange
{
    public const string SdpType = "application/sdp";

    /// <summary>Far above any real offer (a few KiB), low enough that a body cannot cost the node.</summary>
    public const int MaxOfferBytes = 64 * 1024;

    /// <summary>A moving session has its new bridge within about a heartbeat.</summary>
    private const int RetryAfterSeconds = 1;

    /// <summary>The offer, or the problem that refuses it: 415 when it is not SDP, 413 when it exceeds <see cref="MaxOfferBytes"/>.</summary>
    public static async Task<(string? Offer, ProblemHttpResult? Refusal)> ReadOfferAsync(HttpRequest request)
    {
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), SdpType, StringComparison.OrdinalIgnoreCase))
        {
            return (null, TypedResults.Problem($"The offer must be sent as {SdpType}.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        }

        var tooLarge = TypedResults.Problem($"The offer is larger than {MaxOfferBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Offer too large");
        if (request.ContentLength > MaxOfferBytes)
        {
            return (null, tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + read > MaxOfferBytes)
            {
                return (null, tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), null);
    }

    /// <summary>201 with the SDP answer and the Location that ends the exchange with DELETE.</summary>
    public static ContentHttpResult Answer(HttpResponse response, string location, string answerSdp)
    {
        response.Headers.Location = location;
        return TypedResults.Content(answerSdp, SdpType, Encoding.UTF8, StatusCodes.Status201Created);
    }

    /// <summary>A refusal as problem details; 503 comes with a Retry-After, as a bridge is expected shortly.</summary>
    public static ProblemHttpResult Refuse(HttpResponse response, int status, string title, string? detail)
    {
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(detail, statusCode: status, title: title);
    }
}
