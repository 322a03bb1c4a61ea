namespace Command.Grains;

/// <summary>The name of the grain storage provider every Command grain persists to.</summary>
public static class CommandStorage
{
    public const string Name = "command";
}
