using System.Collections.Immutable;
using Command.Contracts.Audit;

namespace Command.Web.Apis;

/// <summary>The signed checkpoints and the public key (SubjectPublicKeyInfo, base64) that checks them.</summary>
public sealed record AuditCheckpoints(string PublicKey, ImmutableArray<AuditHead> Checkpoints);
