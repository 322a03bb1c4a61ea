namespace MediaBridge.Control;

/// <summary>
/// A port this process must bind is taken by another program (often a second node on the same machine).
/// Its message is one line for the operator that names the setting to change.
/// </summary>
public sealed class PortInUseException(string what, string setting, Exception? inner = null)
    : Exception($"{what}: it is in use by another program; set {setting} to a free port", inner)
{
    public string Setting { get; } = setting;
}
