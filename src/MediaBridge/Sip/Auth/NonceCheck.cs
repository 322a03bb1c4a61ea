namespace MediaBridge.Sip.Auth;

public enum NonceCheck
{
    Fresh,

    /// <summary>Ours but expired: the client may retry at once with a new nonce (stale=true).</summary>
    Stale,

    Invalid,
}
