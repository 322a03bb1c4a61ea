namespace Command.Grains.Topology;

/// <summary>A topology file cannot be used; the message names the file and the offending entry.</summary>
public sealed class TopologyException(string message, Exception? inner = null) : Exception(message, inner);
