using System.Net.Sockets;
using System.Text;
using MediaBridge.Sip;
using MediaBridge.Sip.Transport;

namespace MediaBridge.Tests.Sip;

/// <summary>SIP over a real loopback TCP connection.</summary>
public sealed class TcpTransportTests : IAsyncLifetime
{
    private LoopbackBridge bridge = null!;

    public ValueTask InitializeAsync()
    {
        bridge = LoopbackBridge.Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await bridge.DisposeAsync();

    [Fact]
    public async Task Pipelined_and_split_messages_are_framed_and_answered_on_the_same_connection()
    {
        using var client = await ConnectAsync();
        var stream = new NetworkStream(client);

        await stream.WriteAsync(Options("a").Concat(Options("b")).ToArray(), TestContext.Current.CancellationToken);
        var split = Options("c");
        await stream.WriteAsync(split.AsMemory(0, 20), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        await stream.WriteAsync(split.AsMemory(20), TestContext.Current.CancellationToken);

        var responses = await ReadResponsesAsync(stream, 3);

        Assert.Equal([200, 200, 200], responses.Select(r => r.StatusCode));
        Assert.Equal(["a", "b", "c"], responses.Select(r => r.CallId));
    }

    [Fact]
    public async Task A_double_crlf_keep_alive_gets_a_single_crlf_back()
    {
        using var client = await ConnectAsync();

        client.Send("\r\n\r\n"u8);
        var buffer = new byte[16];
        var read = await client.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken);

        Assert.Equal("\r\n"u8.ToArray(), buffer.AsSpan(0, read).ToArray());
    }

    [Theory]
    [InlineData("OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKx\r\n\r\n")]
    [InlineData("OPTIONS sip:x SIP/2.0\r\nContent-Length: -4\r\n\r\n")]
    [InlineData("OPTIONS sip:x SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\n")]
    public async Task A_stream_that_cannot_be_framed_is_closed(string text)
    {
        using var client = await ConnectAsync();

        client.Send(Encoding.ASCII.GetBytes(text));

        Assert.Equal(0, await client.ReceiveAsync(new byte[64], SocketFlags.None, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_endless_header_section_is_cut_off_at_the_size_limit()
    {
        using var client = await ConnectAsync();
        var chunk = Encoding.ASCII.GetBytes("X-Filler: " + new string('a', 1000) + "\r\n");

        var closed = false;
        try
        {
            for (var i = 0; i < 200 && !closed; i++)
            {
                await client.SendAsync(chunk, SocketFlags.None, TestContext.Current.CancellationToken);
            }

            closed = await client.ReceiveAsync(new byte[64], SocketFlags.None, TestContext.Current.CancellationToken) == 0;
        }
        catch (SocketException)
        {
            closed = true;
        }

        Assert.True(closed);
    }

    private async Task<Socket> ConnectAsync()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(bridge.Tcp.LocalEndPoint, TestContext.Current.CancellationToken);
        client.ReceiveTimeout = 5000;
        return client;
    }

    private static byte[] Options(string callId) => Encoding.ASCII.GetBytes(
        $"OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bK{callId}{Guid.NewGuid():N}\r\nMax-Forwards: 70\r\n" +
        $"To: <sip:127.0.0.1>\r\nFrom: <sip:x@127.0.0.1>;tag=t\r\nCall-ID: {callId}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");

    private static async Task<List<SipResponse>> ReadResponsesAsync(NetworkStream stream, int count)
    {
        var responses = new List<SipResponse>();
        var buffer = new byte[65536];
        var filled = 0;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(5));
        while (responses.Count < count)
        {
            filled += await stream.ReadAsync(buffer.AsMemory(filled), cts.Token);
            while (StreamFramer.TryFrame(buffer.AsSpan(0, filled), out var skip, out var length, out _) == StreamFramer.Result.Message)
            {
                Assert.True(SipParser.TryParse(buffer.AsSpan(skip, length), datagram: false, out var message, out var error), error?.Reason);
                responses.Add(Assert.IsType<SipResponse>(message));
                Buffer.BlockCopy(buffer, skip + length, buffer, 0, filled - skip - length);
                filled -= skip + length;
            }
        }

        return responses;
    }
}
