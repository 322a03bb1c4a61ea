namespace Command.Grains.Audit;

/// <summary>
/// The stored chain's end: <see cref="Hash"/> is null for a chain written before the end was kept (read the last
/// entry instead), <see cref="SignedHead"/> null before the first signed append.
/// </summary>
public sealed record AuditTip(long Count, string? Hash, string? SignedHead);
