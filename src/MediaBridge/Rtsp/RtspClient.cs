using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MediaBridge.Rtsp;

/// <summary>
/// An RTSP 1.0 client (RFC 2326) for pulling a camera: OPTIONS, DESCRIBE (following 3xx redirects
/// to their Location), SETUP of a track over the RTSP connection (interleaved, §10.12) or over a
/// UDP port pair, PLAY, keep-alives within the session timeout (GET_PARAMETER when the server lists
/// it, else OPTIONS), and TEARDOWN. A 401 is answered once with Digest or Basic credentials, and
/// later requests carry them from the start. Nothing the server sends makes it throw: a reply that
/// is garbage, cut short or late is an error in the request's result, and junk between interleaved
/// frames is skipped.
/// </summary>
public sealed class RtspClient : IAsyncDisposable
{
    private readonly RtspClientOptions options;
    private readonly RtspAuthenticator? authenticator;
    private readonly Lock gate = new();
    private readonly Dictionary<int, TaskCompletionSource<RtspResponse?>> pending = [];
    private readonly Dictionary<int, RtspTrack> channels = [];
    private readonly List<RtspUdpPair> udpPairs = [];
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private TcpClient? tcp;
    private Stream? stream;
    private Task receiving = Task.CompletedTask;
    private Task keepingAlive = Task.CompletedTask;
    private CancellationTokenSource? connection;
    private int cseq;
    private int nextChannel;
    private string[] serverMethods = [];
    private TimeSpan sessionTimeout = TimeSpan.FromSeconds(60);

    public RtspClient(string url, string? user = null, string? password = null, RtspClientOptions? options = null)
    {
        Url = url;
        this.options = options ?? new RtspClientOptions();
        if (!string.IsNullOrEmpty(user))
        {
            authenticator = new RtspAuthenticator(user, password ?? "");
        }
    }

    /// <summary>The URL requests go to: the one given, or where a redirect sent the client.</summary>
    public string Url { get; private set; }

    /// <summary>The session the server gave at SETUP, without its timeout.</summary>
    public string? Session { get; private set; }

    /// <summary>Where each RTP packet of a set-up track goes; called on the client's receive threads.</summary>
    public RtpPacketHandler? Rtp { get; set; }

    /// <summary>Whether the RTSP connection is open: false once the server closed it or it failed.</summary>
    public bool Connected => stream is not null && !receiving.IsCompleted;

    public long SkippedBytes { get; private set; }

    public long KeepAlivesSent { get; private set; }

    public async Task<RtspResult> ConnectAsync(CancellationToken cancel = default)
    {
        if (!RtspSetupAnswer.TryHostPort(Url, out var host, out var port))
        {
            return RtspResult.Failed($"Not an rtsp:// URL: {Url}");
        }

        await CloseConnectionAsync();
        var client = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel, stopping.Token);
            timeout.CancelAfter(options.ResponseTimeout);
            await client.ConnectAsync(host, port, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ArgumentException)
        {
            client.Dispose();
            return RtspResult.Failed($"Cannot connect to {host}:{port}: {e.Message}");
        }

        tcp = client;
        stream = client.GetStream();
        connection = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        receiving = ReceiveAsync(stream, connection.Token);
        return new RtspResult(null, null);
    }

    public async Task<RtspResult> OptionsAsync(CancellationToken cancel = default)
    {
        var result = await RequestAsync("OPTIONS", Url, [], cancel);
        if (result.Response?.Headers["Public"] is { } methods)
        {
            serverMethods = methods.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }

        return result;
    }

    /// <summary>DESCRIBE, following up to <see cref="RtspClientOptions.MaxRedirects"/> redirects (§11.3.3) on a new connection each.</summary>
    public async Task<(RtspResult Result, RtspDescription? Description)> DescribeAsync(CancellationToken cancel = default)
    {
        for (var redirects = 0; ; redirects++)
        {
            var result = await RequestAsync("DESCRIBE", Url, [new("Accept", "application/sdp")], cancel);
            if (result.Response is { Status: >= 300 and < 400 } moved && moved.Headers["Location"] is { } location && redirects < options.MaxRedirects)
            {
                Url = location.Trim();
                var connected = await ConnectAsync(cancel);
                if (connected.Error is not null)
                {
                    return (connected, null);
                }

                continue;
            }

            if (result.Response is not { Success: true } ok)
            {
                return (result, null);
            }

            var baseUrl = (ok.Headers["Content-Base"] ?? ok.Headers["Content-Location"] ?? Url).Trim();
            return RtspDescription.TryRead(Encoding.UTF8.GetString(ok.Body), baseUrl, out var description, out var error)
                ? (result, description)
                : (RtspResult.Failed($"The description is not usable: {error}"), null);
        }
    }

    /// <summary>SETUP of one track: interleaved on the RTSP connection, or to a UDP port pair of this client when <paramref name="udp"/>.</summary>
    public async Task<RtspResult> SetupAsync(RtspTrack track, bool udp = false, CancellationToken cancel = default)
    {
        string transport;
        RtspUdpPair? ports = null;
        int channel;
        lock (gate)
        {
            channel = nextChannel;
            nextChannel += 2;
        }

        if (udp)
        {
            ports = RtspUdpPair.Bind((tcp?.Client.LocalEndPoint as IPEndPoint)?.Address ?? IPAddress.Any);
            if (ports is null)
            {
                return RtspResult.Failed("No UDP port pair is free");
            }

            transport = $"RTP/AVP;unicast;client_port={ports.RtpPort}-{ports.RtpPort + 1}";
        }
        else
        {
            transport = $"RTP/AVP/TCP;unicast;interleaved={channel}-{channel + 1}";
        }

        var result = await RequestAsync("SETUP", track.Control, [new("Transport", transport)], cancel);
        if (result.Response is not { Success: true } ok)
        {
            ports?.Dispose();
            return result;
        }

        if (ok.Headers["Session"] is { } session)
        {
            (Session, var timeout) = RtspSetupAnswer.Session(session);
            sessionTimeout = timeout ?? sessionTimeout;
        }

        if (ports is not null)
        {
            lock (gate)
            {
                udpPairs.Add(ports);
            }

            ports.Start(packet => Deliver(track, packet.Span), stopping.Token);
        }
        else
        {
            var answered = RtspSetupAnswer.InterleavedChannel(ok.Headers["Transport"]) ?? channel;
            lock (gate)
            {
                channels[answered] = track;
            }
        }

        return result;
    }

    /// <summary>PLAY from the start, then keep-alives until TEARDOWN or disposal.</summary>
    public async Task<RtspResult> PlayAsync(CancellationToken cancel = default)
    {
        var result = await RequestAsync("PLAY", Url, [new("Range", "npt=0.000-")], cancel);
        if (result.Success && keepingAlive.IsCompleted)
        {
            keepingAlive = KeepAliveAsync(connection?.Token ?? stopping.Token);
        }

        return result;
    }

    public async Task<RtspResult> TeardownAsync(CancellationToken cancel = default)
    {
        var result = await RequestAsync("TEARDOWN", Url, [], cancel);
        Session = null;
        await CloseConnectionAsync();
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await CloseConnectionAsync();
        lock (gate)
        {
            udpPairs.ForEach(p => p.Dispose());
            udpPairs.Clear();
        }

        stopping.Dispose();
        writing.Dispose();
    }

    /// <summary>Sends a request and waits for its response; a 401 is answered once with credentials.</summary>
    public async Task<RtspResult> RequestAsync(string method, string uri, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancel = default)
    {
        var result = await SendAsync(method, uri, headers, cancel);
        if (result.Response is { Status: 401 } challenge && authenticator is not null && authenticator.Take(challenge.Headers.Values("WWW-Authenticate")))
        {
            result = await SendAsync(method, uri, headers, cancel);
        }

        return result;
    }

    private async Task<RtspResult> SendAsync(string method, string uri, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancel)
    {
        if (stream is not { } s)
        {
            return RtspResult.Failed("Not connected");
        }

        var all = new List<KeyValuePair<string, string>>(headers) { new("User-Agent", options.UserAgent) };
        if (Session is { } session)
        {
            all.Add(new("Session", session));
        }

        if (authenticator?.Authorization(method, uri) is { } authorization)
        {
            all.Add(new("Authorization", authorization));
        }

        var waiter = new TaskCompletionSource<RtspResponse?>(TaskCreationOptions.RunContinuationsAsynchronously);
        int number;
        lock (gate)
        {
            number = ++cseq;
            pending[number] = waiter;
        }

        try
        {
            var bytes = RtspWriter.Request(method, uri, number, all);
            await writing.WaitAsync(cancel);
            try
            {
                await s.WriteAsync(bytes, cancel);
            }
            finally
            {
                writing.Release();
            }

            var response = await waiter.Task.WaitAsync(options.ResponseTimeout, cancel);
            return response is null ? RtspResult.Failed("The connection closed before the server answered") : new RtspResult(response, null);
        }
        catch (TimeoutException)
        {
            return RtspResult.Failed($"No answer to {method} within {options.ResponseTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
            return RtspResult.Failed($"{method} failed: {e.Message}");
        }
        finally
        {
            lock (gate)
            {
                pending.Remove(number);
            }
        }
    }

    private async Task ReceiveAsync(Stream from, CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, RtspReader.MaxHead + RtspReader.MaxBody + 64 * 1024));
                }

                var read = await from.ReadAsync(buffer.AsMemory(filled), cancel);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                var used = Consume(buffer.AsSpan(0, filled));
                buffer.AsSpan(used, filled - used).CopyTo(buffer);
                filled -= used;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
        }
        finally
        {
            FailPending();
        }
    }

    /// <summary>Handles every whole item at the front of the buffer; returns how many bytes they took.</summary>
    private int Consume(ReadOnlySpan<byte> data)
    {
        var used = 0;
        while (true)
        {
            var kind = RtspReader.Read(data[used..], out var consumed, out var frame, out var response, out var request);
            if (kind == RtspItemKind.NeedMore)
            {
                // A buffer that is full and still not an item cannot become one: drop a byte and look again.
                if (data.Length - used >= RtspReader.MaxHead + RtspReader.MaxBody)
                {
                    SkippedBytes++;
                    used++;
                    continue;
                }

                return used;
            }

            used += consumed;
            switch (kind)
            {
                case RtspItemKind.Skipped:
                    SkippedBytes += consumed;
                    break;
                case RtspItemKind.Frame:
                    OnFrame(frame);
                    break;
                case RtspItemKind.Response:
                    OnResponse(response!);
                    break;
                case RtspItemKind.Request:
                    _ = AnswerAsync(request!);
                    break;
            }
        }
    }

    private void OnFrame(InterleavedFrame frame)
    {
        RtspTrack? track;
        lock (gate)
        {
            track = channels.GetValueOrDefault(frame.Channel);
        }

        if (track is not null)
        {
            Deliver(track, frame.Payload.Span);
        }
    }

    private void OnResponse(RtspResponse response)
    {
        TaskCompletionSource<RtspResponse?>? waiter = null;
        lock (gate)
        {
            if (response.CSeq is { } number)
            {
                pending.Remove(number, out waiter);
            }
        }

        waiter?.TrySetResult(response);
    }

    /// <summary>A server's own request (§10: OPTIONS or GET_PARAMETER as its keep-alive, ANNOUNCE...) is answered so it does not wait.</summary>
    private async Task AnswerAsync(RtspRequest request)
    {
        var status = request.Method is "OPTIONS" or "GET_PARAMETER" ? "200 OK" : "501 Not Implemented";
        var reply = Encoding.UTF8.GetBytes($"RTSP/1.0 {status}\r\nCSeq: {request.Headers["CSeq"]?.Trim() ?? "0"}\r\n\r\n");
        try
        {
            await writing.WaitAsync(stopping.Token);
            try
            {
                if (stream is { } s)
                {
                    await s.WriteAsync(reply, stopping.Token);
                }
            }
            finally
            {
                writing.Release();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
        }
    }

    private void Deliver(RtspTrack track, ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 12 || packet[1] is >= 200 and <= 204)
        {
            return;
        }

        Rtp?.Invoke(track, packet);
    }

    private async Task KeepAliveAsync(CancellationToken cancel)
    {
        var every = TimeSpan.FromTicks(Math.Min(options.KeepAlive.Ticks, sessionTimeout.Ticks / 2));
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                await Task.Delay(every, cancel);
                var method = serverMethods.Contains("GET_PARAMETER", StringComparer.OrdinalIgnoreCase) ? "GET_PARAMETER" : "OPTIONS";
                await RequestAsync(method, Url, [], cancel);
                KeepAlivesSent++;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CloseConnectionAsync()
    {
        if (connection is { } c)
        {
            await c.CancelAsync();
        }

        tcp?.Dispose();
        (tcp, stream) = (null, null);
        try
        {
            await Task.WhenAll(receiving, keepingAlive);
        }
        catch (OperationCanceledException)
        {
        }

        connection?.Dispose();
        connection = null;
        lock (gate)
        {
            channels.Clear();
        }
    }

    private void FailPending()
    {
        List<TaskCompletionSource<RtspResponse?>> waiting;
        lock (gate)
        {
            waiting = [.. pending.Values];
        }

        waiting.ForEach(w => w.TrySetResult(null));
    }
}
