using MediaBridge.Srtp;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace MediaBridge.Dtls;

/// <summary>
/// The bridge's side of a DTLS-SRTP handshake. The bridge answers WebRTC offers with
/// <c>a=setup:passive</c>, so it is always the DTLS server (RFC 5763 §5). It offers DTLS 1.2 only,
/// demands the peer's certificate and accepts it only if it matches the fingerprint in the peer's
/// SDP (RFC 5763 §5, RFC 8122 §5), and agrees an SRTP profile through use_srtp (RFC 5764 §4.1.1),
/// preferring AEAD_AES_128_GCM (RFC 7714 §14.2).
/// </summary>
internal sealed class DtlsSrtpServer(BcTlsCrypto crypto, DtlsCertificate certificate, DtlsFingerprint remoteFingerprint) : DefaultTlsServer(crypto)
{
    private static readonly SrtpProfile[] Preference = [SrtpProfile.AeadAes128Gcm, SrtpProfile.AesCm128HmacSha1_80];

    private SrtpProfile? profile;

    public SrtpKeyMaterial? Keys { get; private set; }

    /// <summary>Why the handshake failed, in words for the leg's report.</summary>
    public string? Failure { get; private set; }

    /// <summary>Set when the peer sent close_notify or a fatal alert; the record layer then only times out.</summary>
    public bool PeerClosed { get; private set; }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        base.NotifyAlertReceived(alertLevel, alertDescription);
        if (alertDescription == AlertDescription.close_notify || alertLevel == AlertLevel.fatal)
        {
            PeerClosed = true;
        }
    }

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        var offered = TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions)?.ProtectionProfiles ?? [];
        foreach (var candidate in Preference)
        {
            if (Array.IndexOf(offered, SrtpProfiles.DtlsId(candidate)) >= 0)
            {
                profile = candidate;
                return;
            }
        }

        Failure = "the peer offered no SRTP profile the bridge supports";
        throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        var extensions = base.GetServerExtensions() ?? new Dictionary<int, byte[]>();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([SrtpProfiles.DtlsId(profile!.Value)], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override CertificateRequest GetCertificateRequest()
    {
        var algorithms = TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context);
        return new CertificateRequest([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], algorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            Failure = "the peer sent no certificate";
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        if (!remoteFingerprint.Matches(clientCertificate.GetCertificateAt(0).GetEncoded()))
        {
            Failure = "the peer's certificate does not match the fingerprint in its offer";
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        var chosen = profile!.Value;
        var length = 2 * (SrtpProfiles.KeyLength(chosen) + SrtpProfiles.SaltLength(chosen));
        var material = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, length);
        Keys = SrtpKeyMaterial.FromExporter(chosen, material, localIsServer: true);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    /// <summary>The bridge's certificate is ECDSA, so only ECDHE_ECDSA suites can be signed; AEAD ones first.</summary>
    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto,
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    ]);

    protected override TlsCredentialedSigner GetECDsaSignerCredentials()
    {
        var chain = new Certificate([crypto.CreateCertificate(certificate.Der)]);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, certificate.PrivateKey, chain,
            SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }
}
