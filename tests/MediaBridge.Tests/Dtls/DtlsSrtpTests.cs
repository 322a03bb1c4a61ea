using MediaBridge.Dtls;
using MediaBridge.Srtp;
using Org.BouncyCastle.Tls;

namespace MediaBridge.Tests.Dtls;

/// <summary>The bridge's DTLS-SRTP server against BouncyCastle's client, over an in-memory datagram pipe.</summary>
public sealed class DtlsSrtpTests
{
    private static readonly DtlsCertificate Bridge = DtlsCertificate.Create();
    private static readonly DtlsCertificate Browser = DtlsCertificate.Create("browser");

    [Theory]
    [InlineData(new[] { 7, 1 }, SrtpProfile.AeadAes128Gcm)]
    [InlineData(new[] { 1 }, SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData(new[] { 2, 1, 7 }, SrtpProfile.AeadAes128Gcm)]
    public async Task Both_ends_export_the_same_srtp_keys_for_the_profile_the_bridge_prefers(int[] offered, SrtpProfile expected)
    {
        var run = Handshake(Browser.Fingerprint, Bridge.Fingerprint, offered);
        var keys = await run.Keys.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await run.Client.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(expected, keys.Profile);
        var exported = run.TlsClient.Exported!;
        var client = SrtpKeyMaterial.FromExporter(expected, exported, localIsServer: false);
        Assert.Equal(client.LocalKey, keys.RemoteKey);
        Assert.Equal(client.LocalSalt, keys.RemoteSalt);
        Assert.Equal(client.RemoteKey, keys.LocalKey);
        Assert.Equal(client.RemoteSalt, keys.LocalSalt);
        Assert.NotEqual(keys.LocalKey, keys.RemoteKey);
        run.Endpoint.Dispose();
    }

    [Fact]
    public async Task A_client_certificate_that_does_not_match_the_offered_fingerprint_is_refused()
    {
        var someoneElse = DtlsCertificate.Create("someone-else");
        var run = Handshake(someoneElse.Fingerprint, Bridge.Fingerprint, [7, 1]);
        var reason = await run.Closed.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Contains("fingerprint", reason, StringComparison.Ordinal);
        Assert.False(run.Keys.Task.IsCompleted);
        await Assert.ThrowsAnyAsync<TlsException>(() => run.Client.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        run.Endpoint.Dispose();
    }

    [Fact]
    public async Task A_client_without_a_common_srtp_profile_is_refused()
    {
        var run = Handshake(Browser.Fingerprint, Bridge.Fingerprint, [2, 5]);
        var reason = await run.Closed.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Contains("SRTP profile", reason, StringComparison.Ordinal);
        Assert.False(run.Keys.Task.IsCompleted);
        run.Endpoint.Dispose();
    }

    [Fact]
    public async Task Garbage_records_end_in_a_handshake_timeout_not_an_exception()
    {
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var endpoint = new DtlsSrtpEndpoint(Bridge, Browser.Fingerprint, _ => { }, TimeSpan.FromSeconds(1));
        endpoint.Closed += r => closed.TrySetResult(r);
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var junk = new byte[random.Next(1, 300)];
            random.NextBytes(junk);
            junk[0] = (byte)random.Next(20, 64);
            endpoint.Receive(junk);
        }

        var reason = await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Contains("handshake", reason, StringComparison.Ordinal);
        Assert.False(endpoint.IsConnected);
    }

    [Theory]
    [InlineData("sha-256 AB:CD")]
    [InlineData("md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF")]
    [InlineData("sha-256")]
    [InlineData("")]
    public void Malformed_fingerprints_are_not_read(string text) => Assert.False(DtlsFingerprint.TryParse(text, out _));

    [Fact]
    public void A_fingerprint_reads_back_as_it_is_written() =>
        Assert.Equal(Bridge.Fingerprint.ToString(), DtlsFingerprint.TryParse(Bridge.Fingerprint.ToString(), out var f) ? f.ToString() : null);

    private static HandshakeRun Handshake(DtlsFingerprint expectedClient, DtlsFingerprint expectedServer, int[] profiles)
    {
        ClientPipe? pipe = null;
        var endpoint = new DtlsSrtpEndpoint(Bridge, expectedClient, datagram => pipe!.Deliver(datagram));
        pipe = new ClientPipe(datagram => endpoint.Receive(datagram));
        var keys = new TaskCompletionSource<SrtpKeyMaterial>(TaskCreationOptions.RunContinuationsAsynchronously);
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        endpoint.Connected += k => keys.TrySetResult(k);
        endpoint.Closed += r => closed.TrySetResult(r);
        var tlsClient = new TestDtlsClient(TestDtlsClient.Shared, Browser, expectedServer, profiles);
        var client = Task.Factory.StartNew(() => new DtlsClientProtocol().Connect(tlsClient, pipe), TaskCreationOptions.LongRunning);
        return new HandshakeRun(endpoint, tlsClient, client, keys, closed);
    }

    private sealed record HandshakeRun(
        DtlsSrtpEndpoint Endpoint, TestDtlsClient TlsClient, Task Client, TaskCompletionSource<SrtpKeyMaterial> Keys, TaskCompletionSource<string> Closed);
}
