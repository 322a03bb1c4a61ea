namespace MediaBridge.Conference;

/// <summary>One plain packet of a leg's stream, admitted by its transport.</summary>
public delegate void LegPacketHandler(LegStream stream, ReadOnlySpan<byte> packet, bool rtcp);
