using Command.Contracts;

namespace Command.Web.Apis.Requests;

/// <summary>Checks that a request carries a field; the message names the field in its JSON spelling.</summary>
internal static class Require
{
    public static T Value<T>(T? value, string field)
        where T : struct =>
        value ?? throw CommandException.Invalid($"{field} is required.");

    public static string Text(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw CommandException.Invalid($"{field} is required.") : value.Trim();

    public static T Body<T>(T? body)
        where T : class =>
        body ?? throw CommandException.Invalid("A JSON request body is required.");
}
