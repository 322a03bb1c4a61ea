using Command.Contracts.Auth;

namespace Command.Grains.Auth;

[GenerateSerializer]
public sealed class UserDirectoryState
{
    /// <summary>Keyed by the lower-cased name; each record keeps the name as it was created.</summary>
    [Id(0)] public Dictionary<string, UserRecord> Users { get; set; } = [];
}
