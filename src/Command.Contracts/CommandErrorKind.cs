namespace Command.Contracts;

/// <summary>Why a command was refused; the HTTP layer maps it to 400, 403, 404 or 409.</summary>
[GenerateSerializer, Alias("command.error-kind")]
public enum CommandErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    Forbidden,
}
