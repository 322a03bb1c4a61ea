using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Command.Web.Tests.Dashboard;

/// <summary>
/// The deployment above as an uplink sees it, on one loopback UDP port: a registrar silent until told to answer,
/// then granting every REGISTER (and answering the keep-alive OPTIONS) with 200, which can then call the contact
/// the uplink registered, as the upper session calls its venues, with an SDP offer and an ACK for the answer.
/// </summary>
public sealed class UpperRegistrar : IDisposable
{
    private const string Offer =
        "v=0\r\no=upper 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n" +
        "m=video 9 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 profile-level-id=42e01f;packetization-mode=1\r\na=sendrecv\r\n";

    private readonly UdpClient socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task loop;
    private volatile bool answering;
    private volatile IPEndPoint? contact;
    private volatile string? contactUser;
    private int registers;

    public UpperRegistrar()
    {
        loop = Task.Run(ServeAsync);
    }

    private int Port => ((IPEndPoint)socket.Client.LocalEndPoint!).Port;

    public string Address => "sip:127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>How many REGISTER requests arrived, answered or not.</summary>
    public int Registers => Volatile.Read(ref registers);

    public void Answer() => answering = true;

    /// <summary>Calls the contact the uplink registered; completes once the call is answered with 200 (and acknowledged).</summary>
    public async Task CallAsync(TimeSpan within)
    {
        var to = contact ?? throw new InvalidOperationException("nothing registered yet");
        var uri = $"sip:{contactUser}@{to.Address}:{to.Port.ToString(CultureInfo.InvariantCulture)}";
        var invite = new StringBuilder()
            .Append("INVITE ").Append(uri).Append(" SIP/2.0\r\n")
            .Append("Via: SIP/2.0/UDP ").Append(Local).Append(";branch=z9hG4bK-invite-1;rport\r\n")
            .Append("Max-Forwards: 70\r\n")
            .Append("From: <sip:upper@127.0.0.1>;tag=upper-1\r\n")
            .Append("To: <").Append(uri).Append(">\r\n")
            .Append("Call-ID: upper-call-1@127.0.0.1\r\n")
            .Append("CSeq: 1 INVITE\r\n")
            .Append("Contact: <sip:upper@").Append(Local).Append(">\r\n")
            .Append("Content-Type: application/sdp\r\n")
            .Append("Content-Length: ").Append(Encoding.UTF8.GetByteCount(Offer).ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n")
            .Append(Offer)
            .ToString();
        await socket.SendAsync(Encoding.UTF8.GetBytes(invite), to, stop.Token);
        await answered.Task.WaitAsync(within, stop.Token);
    }

    private string Local => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        stop.Cancel();
        socket.Dispose();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var received = await socket.ReceiveAsync(stop.Token);
                var message = Encoding.UTF8.GetString(received.Buffer);
                if (Reply(message) is { } reply)
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes(reply), received.RemoteEndPoint, stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private string? Reply(string message)
    {
        var headers = message.Split("\r\n").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        string Header(string name) => headers.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim() ?? "";
        if (message.StartsWith("SIP/2.0 200", StringComparison.Ordinal) && Header("CSeq").EndsWith("INVITE", StringComparison.Ordinal))
        {
            answered.TrySetResult();
            var target = Header("Contact").Trim('<', '>').Split('>')[0];
            return $"ACK {target} SIP/2.0\r\nVia: SIP/2.0/UDP {Local};branch=z9hG4bK-ack-1;rport\r\nMax-Forwards: 70\r\n" +
                $"From: {Header("From")}\r\nTo: {Header("To")}\r\nCall-ID: {Header("Call-ID")}\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
        }

        var method = message.Split(' ', 2)[0];
        if (method == "REGISTER")
        {
            Interlocked.Increment(ref registers);
            if (answering && Header("Contact") is { Length: > 0 } registered && !Header("Expires").StartsWith('0'))
            {
                var uri = new Uri(registered.Trim('<', '>').Split('>')[0].Replace("sip:", "sip://", StringComparison.Ordinal));
                contactUser = uri.UserInfo;
                contact = new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
            }
        }

        // Within the call (BYE, INFO) always answered; registration and keep-alive only once answering.
        if (!(method is "BYE" or "INFO" || (answering && method is "REGISTER" or "OPTIONS")))
        {
            return null;
        }

        var to = Header("To");
        var answer = new StringBuilder("SIP/2.0 200 OK\r\n");
        foreach (var via in headers.Where(l => l.StartsWith("Via:", StringComparison.OrdinalIgnoreCase)))
        {
            answer.Append(via).Append("\r\n");
        }

        answer.Append("From: ").Append(Header("From")).Append("\r\n")
            .Append("To: ").Append(to.Contains(";tag=", StringComparison.Ordinal) ? to : to + ";tag=upper").Append("\r\n")
            .Append("Call-ID: ").Append(Header("Call-ID")).Append("\r\n")
            .Append("CSeq: ").Append(Header("CSeq")).Append("\r\n");
        if (method == "REGISTER")
        {
            answer.Append("Contact: ").Append(Header("Contact")).Append(";expires=3600\r\n");
        }

        return answer.Append("Content-Length: 0\r\n\r\n").ToString();
    }
}
