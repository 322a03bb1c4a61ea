namespace MediaBridge.Sdp;

/// <summary>The direction attribute of a stream (RFC 3264 §6.1); sendrecv when none is given.</summary>
public enum MediaDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}
