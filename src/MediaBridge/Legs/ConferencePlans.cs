using Command.Contracts.Media;

namespace MediaBridge.Legs;

/// <summary>
/// The newest plan of each session this bridge carries, shared by every kind of leg. A plan older
/// than the one held changes nothing; a plan that is not live forgets its session.
/// </summary>
public sealed class ConferencePlans
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, ConferencePlan> plans = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return plans.Count;
            }
        }
    }

    /// <summary>Keeps the plan unless an older one than that held; false when it is stale and changes nothing.</summary>
    public bool Take(ConferencePlan plan)
    {
        lock (gate)
        {
            if (plans.TryGetValue(plan.SessionId, out var held) && held.Version > plan.Version)
            {
                return false;
            }

            if (plan.Live)
            {
                plans[plan.SessionId] = plan;
            }
            else
            {
                plans.Remove(plan.SessionId);
            }

            return true;
        }
    }

    /// <summary>The live plan of a session, or null when it is not live on this bridge.</summary>
    public ConferencePlan? Find(string sessionId)
    {
        lock (gate)
        {
            return plans.GetValueOrDefault(sessionId);
        }
    }

    public IReadOnlyList<ConferencePlan> Live()
    {
        lock (gate)
        {
            return [.. plans.Values];
        }
    }
}
