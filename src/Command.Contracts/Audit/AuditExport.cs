namespace Command.Contracts.Audit;

/// <summary>
/// A signed export: <see cref="Payload"/> is the JSON document (entries, the hash before them, the entries up to a
/// signed anchor, the anchor), <see cref="Signature"/> is ECDSA P-256 over SHA-256 of its UTF-8 bytes (IEEE P1363,
/// base64), and <see cref="PublicKey"/> is the node's audit key (SubjectPublicKeyInfo, base64) for reference;
/// an auditor checks against the key they were given, not this one.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.audit-export")]
public sealed record AuditExport(
    [property: Id(0)] string Payload,
    [property: Id(1)] string Signature,
    [property: Id(2)] string PublicKey);
