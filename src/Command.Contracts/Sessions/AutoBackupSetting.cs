namespace Command.Contracts.Sessions;

/// <summary>
/// Automatic backup (备用会场自动接替): when a venue's leg has been down for <see cref="AfterSeconds"/>,
/// the session calls in the backup venue serving it, as the chair's <c>backup</c> action would.
/// </summary>
[GenerateSerializer, Immutable, Alias("command.auto-backup")]
public sealed record AutoBackupSetting(
    [property: Id(0)] bool Enabled,
    [property: Id(1)] int AfterSeconds);
