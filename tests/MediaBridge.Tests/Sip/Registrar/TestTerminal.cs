using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaBridge.Sip;
using MediaBridge.Sip.Auth;

namespace MediaBridge.Tests.Sip.Registrar;

/// <summary>A venue terminal on a loopback UDP socket: registers with digest and reads what the bridge sends.</summary>
public sealed class TestTerminal : IDisposable
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly string domain;
    private int cseq;

    public TestTerminal(string domain, IPAddress? address = null)
    {
        this.domain = domain;
        socket.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
    }

    public EndPoint LocalEndPoint => socket.LocalEndPoint!;

    public void SendTo(byte[] datagram, EndPoint bridge) => socket.SendTo(datagram, bridge);

    public byte[] Register(string? authorization, int expires = 600) => Encoding.ASCII.GetBytes(
        $"REGISTER sip:{domain} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP {socket.LocalEndPoint};branch=z9hG4bK{Guid.NewGuid():N};rport\r\n" +
        "Max-Forwards: 70\r\n" +
        $"To: <sip:2101@{domain}>\r\nFrom: <sip:2101@{domain}>;tag=reg1\r\n" +
        "Call-ID: registration-2101@terminal\r\n" +
        $"CSeq: {++cseq} REGISTER\r\n" +
        $"Contact: <sip:2101@{socket.LocalEndPoint}>\r\nExpires: {expires}\r\n" +
        (authorization is null ? "" : $"Authorization: {authorization}\r\n") +
        "Content-Length: 0\r\n\r\n");

    public string Authorization(string challenge, string password, DigestAlgorithm algorithm, string nc = "00000001")
    {
        var start = challenge.IndexOf("nonce=\"", StringComparison.Ordinal) + 7;
        var nonce = challenge[start..challenge.IndexOf('"', start)];
        var uri = $"sip:{domain}";
        var response = DigestAuthenticator.ExpectedResponse(algorithm, "REGISTER", "2101", domain, password, nonce, uri, nc, "c0ffee", "auth");
        return $"Digest username=\"2101\", realm=\"{domain}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\", algorithm={algorithm.Name()}, cnonce=\"c0ffee\", qop=auth, nc={nc}";
    }

    /// <summary>Registers with the password, answering the 401 challenge, and returns the final response.</summary>
    public async Task<SipResponse> RegisterAsync(EndPoint bridge, string password)
    {
        var challenge = await RoundTripAsync(Register(null), bridge);
        return await RoundTripAsync(Register(Authorization(challenge.Headers[HeaderNames.WwwAuthenticate]!, password, DigestAlgorithm.Sha256)), bridge);
    }

    public async Task<SipResponse> RoundTripAsync(byte[] request, EndPoint bridge, int? skipStatus = null)
    {
        socket.SendTo(request, bridge);
        while (true)
        {
            var response = Assert.IsType<SipResponse>(await ReceiveAsync(TimeSpan.FromSeconds(5)));
            if (response.StatusCode != skipStatus)
            {
                return response;
            }
        }
    }

    /// <summary>The next datagram exactly as it came off the wire.</summary>
    public async Task<string> ReceiveTextAsync(TimeSpan timeout)
    {
        var buffer = new byte[65535];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
        return Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);
    }

    public async Task<SipMessage> ReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[65535];
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
        Assert.True(SipParser.TryParse(buffer.AsSpan(0, received.ReceivedBytes), true, out var message, out var error), error?.Reason);
        return message;
    }

    public void Dispose() => socket.Dispose();
}
