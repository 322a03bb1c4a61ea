using Command.Contracts;

namespace Command.Web.Auth;

/// <summary>
/// Passwords set through the API: at least <see cref="MinLength"/> characters, at least three of lower
/// case, upper case, digits and symbols, and not the user name. Refusals name the rule broken.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;

    public static void Ensure(string? password, string userName, string field)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
        {
            throw CommandException.Invalid($"{field} must be at least {MinLength} characters long.");
        }

        var classes = (password.Any(char.IsLower) ? 1 : 0) + (password.Any(char.IsUpper) ? 1 : 0)
            + (password.Any(char.IsDigit) ? 1 : 0) + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        if (classes < 3)
        {
            throw CommandException.Invalid($"{field} must mix at least three of lower case, upper case, digits and symbols.");
        }

        if (string.Equals(password.Trim(), userName.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw CommandException.Invalid($"{field} must not be the user name.");
        }
    }
}
