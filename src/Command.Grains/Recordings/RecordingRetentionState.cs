namespace Command.Grains.Recordings;

[GenerateSerializer]
public sealed class RecordingRetentionState
{
    /// <summary>Every recording not yet expired, with its end (null while it runs), by id.</summary>
    [Id(0)] public Dictionary<string, DateTimeOffset?> Recordings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether the recordings made before this list was kept have been added from the sessions' own lists.</summary>
    [Id(1)] public bool Backfilled { get; set; }
}
