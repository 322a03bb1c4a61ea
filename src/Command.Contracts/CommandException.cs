namespace Command.Contracts;

/// <summary>
/// A command was refused. Grains throw it before changing any state, so a refused
/// command never leaves a half-written change behind.
/// </summary>
[GenerateSerializer, Alias("command.exception")]
public sealed class CommandException : Exception
{
    public CommandException(CommandErrorKind kind, string message)
        : base(message) => Kind = kind;

    [Id(0)]
    public CommandErrorKind Kind { get; init; }

    public static CommandException Invalid(string message) => new(CommandErrorKind.Invalid, message);

    public static CommandException Conflict(string message) => new(CommandErrorKind.Conflict, message);

    public static CommandException Forbidden(string message) => new(CommandErrorKind.Forbidden, message);

    public static CommandException NotFound(string what, string id) =>
        new(CommandErrorKind.NotFound, $"{what} '{id}' does not exist.");
}
