using System.Net.Sockets;
using MediaBridge.Control;
using Microsoft.AspNetCore.Connections;

namespace Command.Silo.Hosting;

/// <summary>
/// Turns a start-up failure caused by a port that is already taken into one line naming the setting to
/// change, instead of an unhandled exception with a stack trace.
/// </summary>
public static class PortClash
{
    public static string? Describe(Exception failure, IConfiguration? configuration)
    {
        var chain = Chain(failure).ToList();
        if (chain.OfType<PortInUseException>().FirstOrDefault() is { } known)
        {
            return known.Message;
        }

        if (!chain.Any(e => e is AddressInUseException || e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse or SocketError.AccessDenied }))
        {
            return null;
        }

        var trace = string.Concat(chain.Select(e => e.StackTrace));
        if (chain.OfType<IOException>().FirstOrDefault(e => e.Message.StartsWith("Failed to bind", StringComparison.Ordinal)) is { } http)
        {
            return $"{http.Message.TrimEnd('.')}: it is in use by another program; set Urls (--urls) to a free port";
        }

        // A silo has two Orleans listeners; only the silo-to-silo one names itself in the trace.
        if (trace.Contains("SiloConnectionListener", StringComparison.Ordinal))
        {
            return Setting("the Orleans silo port", "Command:SiloPort", "11111", configuration);
        }

        if (trace.Contains("Orleans.Runtime.Messaging.ConnectionListener", StringComparison.Ordinal)
            || trace.Contains("GatewayConnectionListener", StringComparison.Ordinal))
        {
            return Setting("the Orleans gateway port", "Command:GatewayPort", "30000", configuration);
        }

        return $"a port this node binds is in use by another program ({chain[^1].Message}); check Urls, Command:SiloPort, Command:GatewayPort, Command:StorePort and Command:Bridge:SipPort";
    }

    private static string Setting(string what, string setting, string fallback, IConfiguration? configuration) =>
        $"{what} {configuration?[setting] ?? fallback} is in use by another program; set {setting} to a free port";

    private static IEnumerable<Exception> Chain(Exception failure)
    {
        var pending = new Stack<Exception>([failure]);
        while (pending.TryPop(out var e))
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
