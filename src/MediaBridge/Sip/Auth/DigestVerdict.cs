namespace MediaBridge.Sip.Auth;

public enum DigestVerdict
{
    Accepted,

    /// <summary>No usable Digest credentials for this realm: challenge.</summary>
    Missing,

    /// <summary>Right password on an expired nonce: challenge with stale=true.</summary>
    Stale,

    /// <summary>Wrong password, unknown user, replayed count or a forged nonce: the same challenge for all.</summary>
    Refused,
}
