using MediaBridge.Sip.Transactions;

namespace MediaBridge.Sip.Registration;

/// <summary>
/// The registration clients of one bridge, for <see cref="SipCore"/> to hand them the answers and
/// timeouts of their requests, and for a timer to drive them. A stopped client stays until its
/// un-REGISTER is answered or given up.
/// </summary>
public sealed class SipRegistrations
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, SipRegistrationClient> active = new(StringComparer.Ordinal);
    private readonly List<SipRegistrationClient> leaving = [];

    public IReadOnlyList<SipRegistrationClient> Active
    {
        get
        {
            lock (gate)
            {
                return [.. active.Values];
            }
        }
    }

    /// <summary>True while some stopped client still waits for the answer to its un-REGISTER.</summary>
    public bool Leaving
    {
        get
        {
            lock (gate)
            {
                leaving.RemoveAll(c => c.Finished);
                return leaving.Count > 0;
            }
        }
    }

    public SipRegistrationClient? Find(string id)
    {
        lock (gate)
        {
            return active.GetValueOrDefault(id);
        }
    }

    /// <summary>Adds a client, stopping any other with the same id (which unregisters, unless it registered the same contact at the same registrar).</summary>
    public void Add(SipRegistrationClient client)
    {
        SipRegistrationClient? replaced;
        lock (gate)
        {
            active.Remove(client.Id, out replaced);
            active[client.Id] = client;
            if (replaced is not null)
            {
                leaving.Add(replaced);
            }
        }

        if (replaced is null)
        {
            return;
        }

        if (replaced.Account.Remote.Equals(client.Account.Remote) && replaced.ContactUri == client.ContactUri)
        {
            replaced.Abandon();
        }
        else
        {
            replaced.Stop();
        }
    }

    /// <summary>Stops a client, which un-REGISTERs; false when there is none with this id.</summary>
    public bool Remove(string id)
    {
        SipRegistrationClient? removed;
        lock (gate)
        {
            if (!active.Remove(id, out removed))
            {
                return false;
            }

            leaving.Add(removed);
        }

        removed.Stop();
        return true;
    }

    /// <summary>Stops every client, as on shutdown.</summary>
    public void RemoveAll()
    {
        foreach (var client in Active)
        {
            Remove(client.Id);
        }
    }

    public void Tick()
    {
        foreach (var client in Active)
        {
            client.Tick();
        }
    }

    /// <summary>The TCP connection to <paramref name="remote"/> is gone: the clients registering over it learn so.</summary>
    public void ConnectionLost(System.Net.IPEndPoint remote)
    {
        foreach (var client in All().Where(c => c.Account.Reliable && c.Account.Remote.Equals(remote)))
        {
            client.OnConnectionLost();
        }
    }

    public bool OnResponse(ClientTransaction transaction, SipResponse response) =>
        transaction.Request.Method is "REGISTER" or "OPTIONS" && All().Any(c => c.OnResponse(transaction, response));

    public bool OnTimeout(ClientTransaction transaction) =>
        transaction.Request.Method is "REGISTER" or "OPTIONS" && All().Any(c => c.OnTimeout(transaction));

    private List<SipRegistrationClient> All()
    {
        lock (gate)
        {
            leaving.RemoveAll(c => c.Finished);
            return [.. active.Values, .. leaving];
        }
    }
}
