namespace MediaBridge.Sdp;

/// <summary>RFC 3264 §6.1: an answer's direction mirrors the offer's.</summary>
public static class AnswerDirection
{
    public static string For(MediaDirection offered) => offered switch
    {
        MediaDirection.SendOnly => "recvonly",
        MediaDirection.RecvOnly => "sendonly",
        MediaDirection.Inactive => "inactive",
        _ => "sendrecv",
    };
}
