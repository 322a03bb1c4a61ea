using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Command.Web.Tests.Dashboard;

/// <summary>
/// A registrar of the deployment above on a loopback UDP port: silent until told to answer, then granting every
/// REGISTER (and answering the keep-alive OPTIONS) with 200, so an uplink to it goes from offline to registered.
/// </summary>
public sealed class SilentOrAnsweringRegistrar : IDisposable
{
    private readonly UdpClient socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private volatile bool answering;
    private int registers;

    public SilentOrAnsweringRegistrar()
    {
        loop = Task.Run(ServeAsync);
    }

    public string Address => "sip:127.0.0.1:" + ((IPEndPoint)socket.Client.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>How many REGISTER requests arrived, answered or not.</summary>
    public int Registers => Volatile.Read(ref registers);

    public void Answer() => answering = true;

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
            UdpReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            var request = Encoding.UTF8.GetString(received.Buffer);
            var method = request.Split(' ', 2)[0];
            if (method == "REGISTER")
            {
                Interlocked.Increment(ref registers);
            }

            if (!answering || method is not ("REGISTER" or "OPTIONS"))
            {
                continue;
            }

            try
            {
                var answer = Encoding.UTF8.GetBytes(Ok(request, method == "REGISTER"));
                await socket.SendAsync(answer, received.RemoteEndPoint, stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
        }
    }

    private static string Ok(string request, bool register)
    {
        var headers = request.Split("\r\n").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        string Header(string name) => headers.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim() ?? "";
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
        if (register)
        {
            answer.Append("Contact: ").Append(Header("Contact")).Append(";expires=3600\r\n");
        }

        return answer.Append("Content-Length: 0\r\n\r\n").ToString();
    }
}
