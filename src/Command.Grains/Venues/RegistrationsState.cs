using Command.Contracts.Venues;

namespace Command.Grains.Venues;

[GenerateSerializer]
public sealed class RegistrationsState
{
    /// <summary>Bindings by user and contact.</summary>
    [Id(0)] public Dictionary<string, RegistrationBinding> Bindings { get; set; } = new(StringComparer.Ordinal);
}
