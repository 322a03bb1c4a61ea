using System.Globalization;
using System.Net;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Sip.Registrar;

/// <summary>
/// The registrar for venue terminals (RFC 3261 §10.3). Every REGISTER is authenticated with digest;
/// the authenticated user must be the address-of-record being registered. Bindings expire unless
/// refreshed; a terminal with no binding left is reported offline. Every binding is kept in the
/// <see cref="IBindingStore"/> too, so a restarted bridge restores it and other bridges can call it.
/// One unanswered keep-alive drops a binding: its transaction is bounded by the keep-alive period.
/// </summary>
public sealed class SipRegistrar(DigestAuthenticator digest, TimeProvider time, IPresenceSink presence, IBindingStore? store = null) : ISipPeers
{
    public const int MinExpires = 60;
    public const int MaxExpires = 86400;
    public const int DefaultExpires = 3600;

    private readonly Dictionary<string, List<SipBinding>> bindings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SipBinding> pings = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private IReadOnlyList<SipBinding> foreign = [];

    // Source addresses of this bridge's bindings with their latest expiry, rebuilt after any change.
    private Dictionary<IPAddress, DateTimeOffset>? known;

    /// <summary>A terminal's keep-alive went unanswered and it has no binding left here (the argument is its user).</summary>
    public event Action<string>? KeepAliveFailed;

    /// <summary>
    /// A terminal registered from an address it was bound from, under a Call-ID none of its bindings has: it
    /// restarted (a UA keeps one Call-ID for its registrations until it reboots, RFC 3261 §10.2.4), so any call
    /// it was in is gone at its end (the argument is its user).
    /// </summary>
    public event Action<string>? TerminalRestarted;

    public IReadOnlyList<SipBinding> BindingsOf(string user)
    {
        lock (gate)
        {
            return bindings.TryGetValue(user, out var list) ? [.. list] : [];
        }
    }

    /// <summary>True when a terminal holds an unexpired registration from this address.</summary>
    public bool IsKnown(IPAddress address)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            known ??= bindings.Values.SelectMany(b => b)
                .GroupBy(b => b.Source.Address)
                .ToDictionary(g => g.Key, g => g.Max(b => b.Expires));
            return known.TryGetValue(address, out var expires) && expires > now;
        }
    }

    public IReadOnlyList<SipBinding> AllBindings()
    {
        lock (gate)
        {
            return [.. bindings.Values.SelectMany(b => b)];
        }
    }

    /// <summary>
    /// Where to reach a user's terminal: a binding of this bridge's own, or else one another live bridge
    /// took over UDP (sent to its source address, the answers come back to this bridge's Via).
    /// </summary>
    public SipBinding? Reach(string user)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (bindings.TryGetValue(user, out var own) && own.Count > 0)
            {
                return own[0];
            }

            return foreign.FirstOrDefault(b => b.User == user && !b.Reliable && b.Expires > now);
        }
    }

    /// <summary>The bindings other live bridges hold, as the store last listed them.</summary>
    public void SetForeign(IReadOnlyList<SipBinding> others)
    {
        lock (gate)
        {
            foreign = others;
        }
    }

    /// <summary>
    /// Takes bindings back from the store, as after a restart (<paramref name="adopt"/> false: they are
    /// this bridge's), or from a bridge that is gone (<paramref name="adopt"/> true: saved again as this
    /// bridge's). Expired ones and contacts already held are skipped; terminals that gain a binding are
    /// reported registered. Returns how many were taken.
    /// </summary>
    public int Restore(IEnumerable<SipBinding> restored, bool adopt)
    {
        var now = time.GetUtcNow();
        var online = new List<SipBinding>();
        var taken = new List<SipBinding>();
        lock (gate)
        {
            foreach (var binding in restored.Where(b => b.Expires > now))
            {
                var list = bindings.TryGetValue(binding.User, out var held) ? held : bindings[binding.User] = [];
                if (list.Any(b => b.Contact == binding.Contact))
                {
                    continue;
                }

                if (list.Count == 0)
                {
                    online.Add(binding);
                }

                list.Add(binding);
                taken.Add(binding);
                known = null;
            }
        }

        if (adopt)
        {
            taken.ForEach(b => store?.Save(b));
        }

        online.ForEach(presence.Registered);
        return taken.Count;
    }

    public void Handle(ServerTransaction tx, SipTransactionLayer layer)
    {
        var request = tx.Request;
        var verdict = digest.Verify("REGISTER", request.Message.Headers.Values(HeaderNames.Authorization), out var user);
        if (verdict != DigestVerdict.Accepted)
        {
            var challenges = digest.Challenge(request.To.Uri.User, stale: verdict == DigestVerdict.Stale)
                .Select(c => new SipHeader(HeaderNames.WwwAuthenticate, c));
            layer.Respond(tx, 401, challenges);
            return;
        }

        if (request.To.Uri.User != user)
        {
            layer.Respond(tx, 403, reason: "Not allowed to register this address");
            return;
        }

        if (!TryReadChanges(request, out var changes, out var tooBrief))
        {
            layer.Respond(tx, tooBrief ? 423 : 400, tooBrief ? [new SipHeader("Min-Expires", MinExpires.ToString(CultureInfo.InvariantCulture))] : null,
                reason: tooBrief ? "Interval Too Brief" : null);
            return;
        }

        var (current, becameOnline, becameOffline, restarted) = Apply(user!, request, tx, changes);
        var now = time.GetUtcNow();
        var contacts = current.Select(b => new SipHeader(
            HeaderNames.Contact,
            $"<{b.Contact}>;expires={Math.Max(0, (int)(b.Expires - now).TotalSeconds).ToString(CultureInfo.InvariantCulture)}"));
        if (becameOnline)
        {
            presence.Registered(current[0]);
        }
        else if (becameOffline)
        {
            presence.Unregistered(user!, "unregistered");
        }

        layer.Respond(tx, 200, contacts);
        if (restarted)
        {
            TerminalRestarted?.Invoke(user!);
        }
    }

    /// <summary>Drops bindings whose time is up and reports terminals left with none.</summary>
    public void Expire()
    {
        var now = time.GetUtcNow();
        var gone = new List<string>();
        var expired = new List<SipBinding>();
        lock (gate)
        {
            foreach (var (user, list) in bindings)
            {
                expired.AddRange(list.Where(b => b.Expires <= now));
                if (list.RemoveAll(b => b.Expires <= now) > 0 && list.Count == 0)
                {
                    gone.Add(user);
                }
            }

            gone.ForEach(u => bindings.Remove(u));
            known = null;
        }

        expired.ForEach(b => store?.Remove(b));
        gone.ForEach(u => presence.Unregistered(u, "registration expired"));
    }

    /// <summary>
    /// Sends an OPTIONS keep-alive to every binding, at the address it registered from (so it passes
    /// the terminal's NAT), and repeats to the presence sink that each terminal is still registered.
    /// Any answer, even an error, shows the terminal is alive; none within <paramref name="timeout"/>
    /// (retransmissions included) drops the binding. <paramref name="sentBy"/> gives the host:port
    /// this bridge writes in Via for a peer, the same as its calls use.
    /// </summary>
    public void Ping(SipTransactionLayer layer, Func<IPAddress, string> sentBy, string domain, TimeSpan timeout)
    {
        var all = AllBindings();
        foreach (var binding in all)
        {
            var branch = ViaHeader.MagicCookie + SipResponses.NewTag();
            var request = new SipRequest(
                "OPTIONS", binding.Contact, "SIP/2.0",
                new SipHeaders(
                [
                    new(HeaderNames.Via, $"SIP/2.0/{(binding.Reliable ? "TCP" : "UDP")} {sentBy(binding.Source.Address)};branch={branch};rport"),
                    new(HeaderNames.MaxForwards, "70"),
                    new(HeaderNames.To, $"<{binding.Contact}>"),
                    new(HeaderNames.From, $"<sip:bridge@{domain}>;tag={SipResponses.NewTag()}"),
                    new(HeaderNames.CallId, $"{SipResponses.NewTag()}@{domain}"),
                    new(HeaderNames.CSeq, "1 OPTIONS"),
                    new(HeaderNames.UserAgent, SipResponses.Agent),
                ]),
                ReadOnlyMemory<byte>.Empty);
            lock (gate)
            {
                pings[SipTransactionLayer.ClientKey(branch, "OPTIONS")] = binding;
            }

            layer.Send(request, binding.Source, binding.Reliable, timeout);
        }

        foreach (var binding in all.DistinctBy(b => b.User))
        {
            presence.StillRegistered(binding);
        }
    }

    /// <summary>A keep-alive was answered; true when the transaction was one of ours.</summary>
    public bool OnPingAnswered(ClientTransaction tx)
    {
        lock (gate)
        {
            return pings.Remove(tx.Key);
        }
    }

    /// <summary>A keep-alive went unanswered within its bound: the binding it tested is dropped.</summary>
    public bool OnPingTimeout(ClientTransaction tx)
    {
        SipBinding? tested;
        var gone = false;
        lock (gate)
        {
            if (!pings.Remove(tx.Key, out tested))
            {
                return false;
            }

            known = null;

            // Only the registration it tested: one renewed since (a refresh, or a restarted terminal at the same contact) is alive.
            if (bindings.TryGetValue(tested.User, out var list)
                && list.RemoveAll(b => b.Contact == tested.Contact && b.Source.Equals(tested.Source) && b.CallId == tested.CallId && b.CSeq == tested.CSeq) > 0
                && list.Count == 0)
            {
                bindings.Remove(tested.User);
                gone = true;
            }
        }

        store?.Remove(tested);
        if (gone)
        {
            presence.Unregistered(tested.User, "keep-alive unanswered");
            KeepAliveFailed?.Invoke(tested.User);
        }

        return true;
    }

    /// <summary>Removes a terminal's bindings, as when its media stops.</summary>
    public void Drop(string user, string reason)
    {
        List<SipBinding>? removed;
        lock (gate)
        {
            bindings.Remove(user, out removed);
            known = null;
        }

        if (removed is not null)
        {
            removed.ForEach(b => store?.Remove(b));
            presence.Unregistered(user, reason);
        }
    }

    private (List<SipBinding> Current, bool Online, bool Offline, bool Restarted) Apply(string user, AdmittedRequest request, ServerTransaction tx, List<(string Contact, int Expires)>? changes)
    {
        var now = time.GetUtcNow();
        var saved = new List<SipBinding>();
        var removed = new List<SipBinding>();
        try
        {
            lock (gate)
            {
                return ApplyHeld(user, request, tx, changes, now, saved, removed);
            }
        }
        finally
        {
            removed.ForEach(b => store?.Remove(b));
            saved.ForEach(b => store?.Save(b));
        }
    }

    private (List<SipBinding> Current, bool Online, bool Offline, bool Restarted) ApplyHeld(
        string user, AdmittedRequest request, ServerTransaction tx, List<(string Contact, int Expires)>? changes, DateTimeOffset now, List<SipBinding> saved, List<SipBinding> removed)
    {
        known = null;
        var had = bindings.TryGetValue(user, out var list) && list.Count > 0;
        list ??= [];
        var restarted = changes is { Count: > 0 } && changes.Any(c => c.Expires > 0)
            && list.Count > 0 && list.TrueForAll(b => b.CallId != request.CallId) && list.Exists(b => b.Source.Address.Equals(tx.Remote.Address));
        if (restarted)
        {
            // What the terminal registered before its restart no longer answers: calls must reach its new contact.
            removed.AddRange(list.Where(b => b.Source.Address.Equals(tx.Remote.Address)));
            list.RemoveAll(b => b.Source.Address.Equals(tx.Remote.Address));
        }
        if (changes is null)
        {
            removed.AddRange(list);
            list.Clear();
        }
        else
        {
            foreach (var (contact, expires) in changes)
            {
                var existing = list.FindIndex(b => b.Contact == contact);
                if (existing >= 0 && list[existing].CallId == request.CallId && list[existing].CSeq >= request.CSeq.Number)
                {
                    continue;
                }

                if (existing >= 0)
                {
                    removed.Add(list[existing]);
                    list.RemoveAt(existing);
                }

                if (expires > 0)
                {
                    var binding = new SipBinding(user, contact, tx.Remote, now.AddSeconds(expires), request.CallId, request.CSeq.Number, tx.Reliable);
                    list.Add(binding);
                    saved.Add(binding);
                    removed.RemoveAll(r => r.Contact == contact);
                }
            }
        }

        if (list.Count > 0)
        {
            bindings[user] = list;
        }
        else
        {
            bindings.Remove(user);
        }

        return ([.. list], !had && list.Count > 0, had && list.Count == 0, restarted);
    }

    /// <summary>The contacts to add or remove, or null for "remove all" (Contact: * with Expires: 0).</summary>
    private static bool TryReadChanges(AdmittedRequest request, out List<(string Contact, int Expires)>? changes, out bool tooBrief)
    {
        changes = [];
        tooBrief = false;
        int? headerExpires = request.Message.Headers[HeaderNames.Expires] is { } e && int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : null;
        if (request.ContactIsWildcard)
        {
            changes = null;
            return headerExpires == 0 && request.Contacts.Count == 0;
        }

        foreach (var contact in request.Contacts)
        {
            var expires = contact.Parameter("expires") is { } p && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : headerExpires ?? DefaultExpires;
            if (expires is > 0 and < MinExpires)
            {
                tooBrief = true;
                return false;
            }

            changes.Add((contact.Uri.Text, Math.Min(expires, MaxExpires)));
        }

        return true;
    }
}
