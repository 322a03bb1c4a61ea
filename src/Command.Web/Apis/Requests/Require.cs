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

    /// <summary>
    /// Refuses control characters (Unicode category Cc, NUL included) and the bidirectional controls
    /// that can make a title read differently from what it holds (U+200E/F, U+202A–E, U+2066–9).
    /// Every text field of every request passes here (<see cref="TextFieldFilter"/>).
    /// </summary>
    public static void CleanText(string? value, string field)
    {
        if (value is null)
        {
            return;
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) || c is '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                throw CommandException.Invalid($"{field} must not contain control or bidirectional formatting characters (U+{(int)c:X4}).");
            }
        }
    }
}
