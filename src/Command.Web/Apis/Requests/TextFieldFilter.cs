using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Command.Web.Apis.Requests;

/// <summary>
/// One rule for every text a request carries: each string argument of an endpoint (route and query
/// values) and each string field of its JSON body, nested objects and lists included, goes through
/// <see cref="Require.CleanText"/> before the handler runs, so a refused request changes nothing.
/// </summary>
internal sealed class TextFieldFilter : IEndpointFilter
{
    private const int MaxDepth = 6;
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var parameters = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>()?.GetParameters();
        for (var i = 0; i < context.Arguments.Count; i++)
        {
            var name = parameters is not null && i < parameters.Length ? parameters[i].Name ?? "body" : "body";
            Check(context.Arguments[i], context.Arguments[i] is string ? name : null, 0);
        }

        return next(context);
    }

    private static void Check(object? value, string? path, int depth)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                Require.CleanText(text, path ?? "value");
                return;
            case IEnumerable list when depth < MaxDepth && value is not IDictionary:
                var index = 0;
                foreach (var item in list)
                {
                    Check(item, $"{path}[{index++}]", depth + 1);
                }

                return;
        }

        var type = value.GetType();
        if (depth >= MaxDepth || type.Assembly != typeof(TextFieldFilter).Assembly || !type.IsClass)
        {
            return;
        }

        foreach (var property in Properties.GetOrAdd(type, t => [.. t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0)]))
        {
            var field = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            Check(property.GetValue(value), path is null ? field : $"{path}.{field}", depth + 1);
        }
    }
}
