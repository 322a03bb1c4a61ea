using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Command.Web.Audit;

/// <summary>
/// What a request asked for, as recorded in its audit entry: route values other than the target id, the query and the
/// JSON body, as one JSON object with secrets masked and the text cut to a maximum length.
/// </summary>
public static class AuditParameters
{
    public const string Mask = "***";

    /// <summary>Bodies larger than this are noted by size only; a secret inside could not be masked without reading it all.</summary>
    private const int BodyLimit = 64 * 1024;

    private static readonly string[] SecretNames = ["password", "passwd", "secret", "token", "credential", "apikey", "api_key", "privatekey", "private_key"];

    // One-time codes of a second factor; matched whole, since "code" is also part of names like regionCode.
    private static readonly string[] SecretWholeNames = ["code", "otp", "totp"];

    /// <summary>Never throws: a request whose parameters cannot be described is still recorded, and still runs.</summary>
    public static async Task<string> DescribeAsync(HttpContext context, int maxLength)
    {
        try
        {
            return await DescribeBodyAsync(context, maxLength);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or IOException or BadHttpRequestException)
        {
            return $"(parameters not readable: {e.GetType().Name})";
        }
    }

    private static async Task<string> DescribeBodyAsync(HttpContext context, int maxLength)
    {
        var parts = Route(context.Request);
        AddQuery(parts, context.Request);
        if (await BodyAsync(context) is { } body)
        {
            parts["body"] = body;
        }

        return Cut(parts, maxLength);
    }

    public static string DescribeQuery(HttpContext context, int maxLength)
    {
        var parts = Route(context.Request);
        AddQuery(parts, context.Request);
        return Cut(parts, maxLength);
    }

    public static bool IsSecret(string name) =>
        SecretNames.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase))
        || SecretWholeNames.Any(s => name.Equals(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>Replaces the value of every property named like a secret, at any depth.</summary>
    public static JsonNode? Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (IsSecret(name))
                    {
                        o[name] = Mask;
                    }
                    else
                    {
                        Redact(o[name]);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Redact(item);
                }

                break;
        }

        return node;
    }

    private static JsonObject Route(HttpRequest request)
    {
        var parts = new JsonObject();
        var route = new JsonObject();
        foreach (var (name, value) in request.RouteValues)
        {
            if (name != "id" && value is not null)
            {
                route[name] = IsSecret(name) ? Mask : Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }

        if (route.Count > 0)
        {
            parts["route"] = route;
        }

        return parts;
    }

    private static void AddQuery(JsonObject parts, HttpRequest request)
    {
        if (request.Query.Count == 0)
        {
            return;
        }

        var query = new JsonObject();
        foreach (var (name, values) in request.Query)
        {
            query[name] = IsSecret(name) ? Mask : values.ToString();
        }

        parts["query"] = query;
    }

    private static async Task<JsonNode?> BodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
        {
            return null;
        }

        request.EnableBuffering();
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while (buffer.Length <= BodyLimit && (read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        request.Body.Position = 0;
        var type = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType ?? "" : "";
        if (buffer.Length > BodyLimit)
        {
            return $"({type}, over {BodyLimit} bytes, not recorded)";
        }

        if (!type.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            return $"({(type.Length > 0 ? type : "no content type")}, {buffer.Length} bytes)";
        }

        try
        {
            return Redact(JsonNode.Parse(buffer.ToArray()));
        }
        catch (JsonException)
        {
            return $"(unreadable JSON, {buffer.Length} bytes)";
        }
    }

    private static string Cut(JsonObject parts, int maxLength)
    {
        if (parts.Count == 0)
        {
            return "";
        }

        var text = parts.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength), "…(truncated)");
    }
}
