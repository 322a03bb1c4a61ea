using MediaBridge.Srtp;

namespace MediaBridge.Dtls;

/// <summary>
/// The SRTP master keys a DTLS-SRTP handshake exported (RFC 5764 §4.2): what the bridge sends
/// with and what it receives with, and the profile both ends agreed.
/// </summary>
public sealed record SrtpKeyMaterial(SrtpProfile Profile, byte[] LocalKey, byte[] LocalSalt, byte[] RemoteKey, byte[] RemoteSalt)
{
    /// <summary>
    /// Splits exporter output laid out as client key, server key, client salt, server salt
    /// (RFC 5764 §4.2), from the point of view of the side that was client or server.
    /// </summary>
    public static SrtpKeyMaterial FromExporter(SrtpProfile profile, ReadOnlySpan<byte> material, bool localIsServer)
    {
        var k = SrtpProfiles.KeyLength(profile);
        var s = SrtpProfiles.SaltLength(profile);
        var clientKey = material[..k].ToArray();
        var serverKey = material.Slice(k, k).ToArray();
        var clientSalt = material.Slice(2 * k, s).ToArray();
        var serverSalt = material.Slice((2 * k) + s, s).ToArray();
        return localIsServer
            ? new SrtpKeyMaterial(profile, serverKey, serverSalt, clientKey, clientSalt)
            : new SrtpKeyMaterial(profile, clientKey, clientSalt, serverKey, serverSalt);
    }
}
