using System.Globalization;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Sip.Registrar;

/// <summary>
/// The registrar for venue terminals (RFC 3261 §10.3). Every REGISTER is authenticated with digest;
/// the authenticated user must be the address-of-record being registered. Bindings expire unless
/// refreshed; a terminal with no binding left is reported offline.
/// </summary>
public sealed class SipRegistrar(DigestAuthenticator digest, TimeProvider time, IPresenceSink presence)
{
    public const int MinExpires = 60;
    public const int MaxExpires = 86400;
    public const int DefaultExpires = 3600;

    private readonly Dictionary<string, List<SipBinding>> bindings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> pings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> missed = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Consecutive unanswered keep-alives after which a terminal counts as gone.</summary>
    public int MaxMissedPings { get; init; } = 2;

    public IReadOnlyList<SipBinding> BindingsOf(string user)
    {
        lock (gate)
        {
            return bindings.TryGetValue(user, out var list) ? [.. list] : [];
        }
    }

    public IReadOnlyList<SipBinding> AllBindings()
    {
        lock (gate)
        {
            return [.. bindings.Values.SelectMany(b => b)];
        }
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

        var (current, becameOnline, becameOffline) = Apply(user!, request, tx, changes);
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
    }

    /// <summary>Drops bindings whose time is up and reports terminals left with none.</summary>
    public void Expire()
    {
        var now = time.GetUtcNow();
        var gone = new List<string>();
        lock (gate)
        {
            foreach (var (user, list) in bindings)
            {
                if (list.RemoveAll(b => b.Expires <= now) > 0 && list.Count == 0)
                {
                    gone.Add(user);
                }
            }

            gone.ForEach(u => bindings.Remove(u));
        }

        gone.ForEach(u => presence.Unregistered(u, "registration expired"));
    }

    /// <summary>
    /// Sends an OPTIONS keep-alive to every binding, at the address it registered from (so it passes
    /// the terminal's NAT). Any answer, even an error, shows the terminal is alive.
    /// </summary>
    public void Ping(SipTransactionLayer layer, System.Net.IPEndPoint local, string domain)
    {
        foreach (var binding in AllBindings())
        {
            var branch = ViaHeader.MagicCookie + SipResponses.NewTag();
            var request = new SipRequest(
                "OPTIONS", binding.Contact, "SIP/2.0",
                new SipHeaders(
                [
                    new(HeaderNames.Via, $"SIP/2.0/{(binding.Reliable ? "TCP" : "UDP")} {local};branch={branch};rport"),
                    new(HeaderNames.MaxForwards, "70"),
                    new(HeaderNames.To, $"<{binding.Contact}>"),
                    new(HeaderNames.From, $"<sip:bridge@{domain}>;tag={SipResponses.NewTag()}"),
                    new(HeaderNames.CallId, $"{SipResponses.NewTag()}@{domain}"),
                    new(HeaderNames.CSeq, "1 OPTIONS"),
                    new(HeaderNames.UserAgent, SipResponses.Agent),
                ]),
                ReadOnlyMemory<byte>.Empty);
            var tx = layer.Send(request, binding.Source, binding.Reliable);
            lock (gate)
            {
                pings[tx.Key] = binding.User;
            }
        }
    }

    /// <summary>A keep-alive was answered; true when the transaction was one of ours.</summary>
    public bool OnPingAnswered(ClientTransaction tx)
    {
        lock (gate)
        {
            if (!pings.Remove(tx.Key, out var user))
            {
                return false;
            }

            missed.Remove(user);
            return true;
        }
    }

    /// <summary>A keep-alive went unanswered (Timer F); enough of them in a row and the terminal is dropped.</summary>
    public bool OnPingTimeout(ClientTransaction tx)
    {
        string? gone = null;
        lock (gate)
        {
            if (!pings.Remove(tx.Key, out var user))
            {
                return false;
            }

            var count = missed.GetValueOrDefault(user) + 1;
            missed[user] = count;
            if (count >= MaxMissedPings)
            {
                missed.Remove(user);
                gone = user;
            }
        }

        if (gone is not null)
        {
            Drop(gone, "keep-alive unanswered");
        }

        return true;
    }

    /// <summary>Removes a terminal's bindings, as when its keep-alive goes unanswered.</summary>
    public void Drop(string user, string reason)
    {
        bool removed;
        lock (gate)
        {
            removed = bindings.Remove(user);
        }

        if (removed)
        {
            presence.Unregistered(user, reason);
        }
    }

    private (List<SipBinding> Current, bool Online, bool Offline) Apply(string user, AdmittedRequest request, ServerTransaction tx, List<(string Contact, int Expires)>? changes)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            var had = bindings.TryGetValue(user, out var list) && list.Count > 0;
            list ??= [];
            if (changes is null)
            {
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
                        list.RemoveAt(existing);
                    }

                    if (expires > 0)
                    {
                        list.Add(new SipBinding(user, contact, tx.Remote, now.AddSeconds(expires), request.CallId, request.CSeq.Number, tx.Reliable));
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

            return ([.. list], !had && list.Count > 0, had && list.Count == 0);
        }
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
