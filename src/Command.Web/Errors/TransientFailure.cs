using System.Diagnostics.CodeAnalysis;
using Orleans.Runtime;

namespace Command.Web.Errors;

/// <summary>
/// Failures that pass by themselves: the cluster is noticing a dead silo and moving its grains, or the
/// store is away. A request that meets one changed nothing durable, so the client may try again.
/// </summary>
internal static class TransientFailure
{
    /// <summary>How long a client should wait before trying again; a silo is declared dead within a few seconds.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    public static bool Is(Exception exception, [NotNullWhen(true)] out string? what)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            what = e switch
            {
                SiloUnavailableException or OrleansMessageRejectionException => "A cluster node is unavailable; the cluster is moving its work to the others.",
                TimeoutException => "The cluster did not answer in time.",
                OrleansException => "The cluster could not complete the request right now.",
                // The store's client library is not referenced here; its exceptions are known by their namespace.
                _ when e.GetType().Namespace?.StartsWith("StackExchange.Redis", StringComparison.Ordinal) == true => "The store is not reachable right now.",
                _ => null,
            };
            if (what is not null)
            {
                return true;
            }

            if (e is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                return Is(aggregate.InnerExceptions[0], out what);
            }
        }

        what = null;
        return false;
    }
}
