using MediaBridge.Dtls;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace WebRtcFanout;

/// <summary>A browser's DTLS-SRTP client side: offers both SRTP profiles, shows its certificate, checks the server's fingerprint.</summary>
internal sealed class BenchDtlsClient(BcTlsCrypto crypto, DtlsCertificate own, DtlsFingerprint server) : DefaultTlsClient(crypto)
{
    public int Profile { get; private set; }

    public byte[]? Exported { get; private set; }

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        var extensions = base.GetClientExtensions() ?? new Dictionary<int, byte[]>();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([0x0007, 0x0001], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        Profile = TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions)?.ProtectionProfiles[0] ?? 0;
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Exported = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, Profile == 7 ? 56 : 60);
    }

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    private sealed class Authentication(BenchDtlsClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
            if (!client.Server.Matches(serverCertificate.Certificate.GetCertificateAt(0).GetEncoded()))
            {
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }
        }

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) =>
            new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(client.m_context), client.Bc, client.Own.PrivateKey,
                new Certificate([client.Bc.CreateCertificate(client.Own.Der)]), SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    private BcTlsCrypto Bc => crypto;

    private DtlsCertificate Own => own;

    private DtlsFingerprint Server => server;
}
