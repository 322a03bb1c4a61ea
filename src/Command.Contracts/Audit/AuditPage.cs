using System.Collections.Immutable;

namespace Command.Contracts.Audit;

[GenerateSerializer, Immutable, Alias("command.audit-page")]
public sealed record AuditPage(
    [property: Id(0)] long Total,
    [property: Id(1)] long From,
    [property: Id(2)] ImmutableArray<AuditEntry> Entries);
