namespace MediaBridge.Sip;

/// <summary>One header line as received, folded lines joined, with its name normalized.</summary>
public sealed record SipHeader(string Name, string Value);
