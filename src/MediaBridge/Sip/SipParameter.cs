namespace MediaBridge.Sip;

/// <summary>A <c>;name=value</c> or <c>;name</c> parameter (RFC 3261 §25.1 generic-param), escapes decoded.</summary>
public sealed record SipParameter(string Name, string? Value);
