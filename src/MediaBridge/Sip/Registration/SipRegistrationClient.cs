using System.Globalization;
using System.Net;
using MediaBridge.Sip.Auth;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Sip.Registration;

/// <summary>
/// Registers one address-of-record with a registrar over UDP, or over TCP when the account says so
/// (RFC 3261 §10.2, §18: Via <c>SIP/2.0/TCP</c>, Contact with <c>;transport=tcp</c>, no retransmissions),
/// and keeps it registered.
/// A challenge (401 or 407) is answered with digest (MD5 or SHA-256, qop=auth); a second challenge to
/// answered credentials that is not stale means they are wrong. The expiry the registrar grants is
/// refreshed at half its length; 423 raises the asked expiry to its Min-Expires. Between refreshes an
/// OPTIONS checks the registrar still answers. Any failure (a refusal, no answer, a lost registrar)
/// turns the status offline with its reason and tries again after 1, 2, 4 … s up to the cap; over TCP, so
/// does the connection dropping (<see cref="OnConnectionLost"/>), as the registrar's binding went with it.
/// <see cref="Stop"/> removes the binding (Expires: 0). Driven by <see cref="Tick"/>; every public
/// member is safe to call from the receive loop, the timer and the owner at once.
/// </summary>
public sealed class SipRegistrationClient
{
    private const int MaxExpiresAccepted = 86400;
    private const int MaxStaleAnswers = 3;

    private readonly SipTransactionLayer layer;
    private readonly TimeProvider time;
    private readonly RegistrationTimings timings;
    private readonly Func<IPAddress, string> sentBy;
    private readonly Func<string> tokens;
    private readonly Lock gate = new();
    private readonly string callId;
    private readonly string fromTag;
    private uint cseq;
    private DigestChallenge? challenge;
    private bool proxyChallenge;
    private uint nonceCount;
    private int askedExpires;
    private string? pendingKey;
    private Pending pendingKind;
    private bool answeredFreshChallenge;
    private int staleAnswers;
    private DateTimeOffset nextRegister;
    private DateTimeOffset nextKeepAlive;
    private int failures;
    private bool stopping;
    private bool registeredOnce;

    /// <param name="sentBy">The host:port written in Via and Contact for a peer at the given address.</param>
    /// <param name="tokens">Random tokens for tags, branches, Call-ID and cnonce; tests give fixed ones.</param>
    public SipRegistrationClient(
        string id, RegistrationAccount account, SipTransactionLayer layer, TimeProvider time, RegistrationTimings timings,
        Func<IPAddress, string> sentBy, Func<string>? tokens = null)
    {
        Id = id;
        Account = account;
        this.layer = layer;
        this.time = time;
        this.timings = timings;
        this.sentBy = sentBy;
        this.tokens = tokens ?? SipResponses.NewTag;
        callId = $"{this.tokens()}@command";
        fromTag = this.tokens();
        askedExpires = (int)Math.Clamp(timings.Expires.TotalSeconds, 1, MaxExpiresAccepted);
        nextRegister = time.GetUtcNow();
    }

    private enum Pending
    {
        None,
        Register,
        Unregister,
        KeepAlive,
    }

    public string Id { get; }

    public RegistrationAccount Account { get; }

    public RegistrationStatus Status { get; private set; } = RegistrationStatus.Offline;

    /// <summary>Why the client is offline, or null while registered.</summary>
    public string? Reason { get; private set; } = "registering";

    /// <summary>The expiry the registrar granted last, in seconds.</summary>
    public int GrantedSeconds { get; private set; }

    /// <summary>True once the binding is removed (or removing it was given up) after <see cref="Stop"/>.</summary>
    public bool Finished { get; private set; }

    /// <summary>The status or its reason changed; raised outside the client's lock.</summary>
    public event Action<SipRegistrationClient>? Changed;

    /// <summary>The Contact this side registers: the user at this side's address for the registrar.</summary>
    public string ContactUri => $"sip:{Account.Username}@{sentBy(Account.Remote.Address)}{(Account.Reliable ? ";transport=tcp" : "")}";

    /// <summary>Sends what is due: a REGISTER (first, refresh or retry) or a keep-alive OPTIONS.</summary>
    public void Tick()
    {
        lock (gate)
        {
            if (stopping || pendingKey is not null)
            {
                return;
            }

            var now = time.GetUtcNow();
            if (now >= nextRegister)
            {
                SendRegister(askedExpires, Pending.Register);
            }
            else if (Status == RegistrationStatus.Registered && now >= nextKeepAlive)
            {
                SendKeepAlive();
            }
        }
    }

    /// <summary>Removes the binding: REGISTER with Expires: 0 if one may be held, else finishes at once.</summary>
    public void Stop()
    {
        var changed = false;
        lock (gate)
        {
            if (stopping)
            {
                return;
            }

            stopping = true;
            changed = Set(RegistrationStatus.Offline, "removed");
            if (registeredOnce || pendingKind == Pending.Register)
            {
                SendRegister(0, Pending.Unregister);
            }
            else
            {
                Finish();
            }
        }

        Raise(changed);
    }

    /// <summary>
    /// Stops without touching the binding, for a client replaced by another registering the same contact:
    /// its un-REGISTER could reach the registrar after the new REGISTER and remove the new binding.
    /// </summary>
    public void Abandon()
    {
        var changed = false;
        lock (gate)
        {
            stopping = true;
            changed = Set(RegistrationStatus.Offline, "replaced");
            Finish();
        }

        Raise(changed);
    }

    /// <summary>Takes an answer to one of this client's requests; false when the transaction is not its.</summary>
    public bool OnResponse(ClientTransaction transaction, SipResponse response)
    {
        var changed = false;
        lock (gate)
        {
            if (transaction.Key != pendingKey)
            {
                return IsOldRequest(transaction);
            }

            if (response.StatusCode < 200)
            {
                return true;
            }

            var kind = pendingKind;
            (pendingKey, pendingKind) = (null, Pending.None);
            var now = time.GetUtcNow();
            if (kind == Pending.KeepAlive)
            {
                // Any answer, even a refusal, shows the registrar is there.
                nextKeepAlive = now + timings.KeepAlive;
                return true;
            }

            changed = response.StatusCode switch
            {
                401 or 407 => OnChallenge(response, kind),
                423 => OnTooBrief(response, kind),
                >= 200 and < 300 => OnAccepted(response, kind, now),
                _ => Fail($"{response.StatusCode} {response.Reason}", kind),
            };
        }

        Raise(changed);
        return true;
    }

    /// <summary>A request of this client got no answer within its bound; false when the transaction is not its.</summary>
    public bool OnTimeout(ClientTransaction transaction)
    {
        var changed = false;
        lock (gate)
        {
            if (transaction.Key != pendingKey)
            {
                return IsOldRequest(transaction);
            }

            var kind = pendingKind;
            (pendingKey, pendingKind) = (null, Pending.None);

            // A registrar that went away may come back with other nonces: start the next attempt afresh.
            challenge = null;
            changed = Fail(kind == Pending.KeepAlive ? "the registrar did not answer a keep-alive" : "no answer from the registrar", kind);
        }

        Raise(changed);
        return true;
    }

    /// <summary>
    /// The TCP connection to the registrar dropped or could not be opened: a request on it will not be answered,
    /// and a binding made over it is gone, so the client turns offline and registers again after its back-off.
    /// </summary>
    public void OnConnectionLost()
    {
        var changed = false;
        lock (gate)
        {
            if (!Account.Reliable || Finished || (pendingKind == Pending.None && Status != RegistrationStatus.Registered))
            {
                return;
            }

            var kind = pendingKind;
            (pendingKey, pendingKind, challenge) = (null, Pending.None, null);
            changed = Fail("no TCP connection to the registrar", kind);
        }

        Raise(changed);
    }

    /// <summary>An answer to a request this client has moved on from (replaced by its un-REGISTER): claimed and dropped. Its requests share one From tag.</summary>
    private bool IsOldRequest(ClientTransaction transaction) =>
        transaction.Request.Headers[HeaderNames.From]?.EndsWith($";tag={fromTag}", StringComparison.Ordinal) == true;

    private bool OnChallenge(SipResponse response, Pending kind)
    {
        var proxy = response.StatusCode == 407;
        var offered = DigestChallenge.Pick(response.Headers.Values(proxy ? "Proxy-Authenticate" : HeaderNames.WwwAuthenticate));
        if (offered is null)
        {
            return Fail($"{response.StatusCode} {response.Reason} without a digest challenge this side can answer", kind);
        }

        if (offered.Stale ? ++staleAnswers > MaxStaleAnswers : answeredFreshChallenge)
        {
            return Fail($"{response.StatusCode} {response.Reason}: the registrar refused the username or password", kind);
        }

        (challenge, proxyChallenge, nonceCount) = (offered, proxy, 0);
        SendRegister(kind == Pending.Unregister ? 0 : askedExpires, kind, freshChallenge: true);
        return false;
    }

    private bool OnTooBrief(SipResponse response, Pending kind)
    {
        if (kind == Pending.Register
            && int.TryParse(response.Headers["Min-Expires"]?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var minimum)
            && minimum > askedExpires && minimum <= MaxExpiresAccepted)
        {
            askedExpires = minimum;
            SendRegister(askedExpires, kind);
            return false;
        }

        return Fail("423 Interval Too Brief without a Min-Expires this side can use", kind);
    }

    private bool OnAccepted(SipResponse response, Pending kind, DateTimeOffset now)
    {
        if (kind == Pending.Unregister)
        {
            Finish();
            return false;
        }

        var granted = GrantedExpires(response);
        if (granted <= 0)
        {
            return Fail("the registrar accepted the REGISTER but kept no binding", kind);
        }

        (failures, staleAnswers, registeredOnce, GrantedSeconds) = (0, 0, true, granted);
        nextRegister = now + TimeSpan.FromSeconds(granted / 2.0);
        nextKeepAlive = now + timings.KeepAlive;
        return Set(RegistrationStatus.Registered, null);
    }

    /// <summary>The expiry of this side's Contact in the answer, else its Expires header, else what was asked (§10.2.4).</summary>
    private int GrantedExpires(SipResponse response)
    {
        var own = ContactUri;
        foreach (var element in response.Headers.Elements(HeaderNames.Contact))
        {
            if (NameAddress.TryParse(element, out var contact)
                && string.Equals(contact.Uri.Text, own, StringComparison.OrdinalIgnoreCase)
                && int.TryParse(contact.Parameter("expires"), NumberStyles.None, CultureInfo.InvariantCulture, out var forContact))
            {
                return forContact;
            }
        }

        return int.TryParse(response.Headers[HeaderNames.Expires]?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var header)
            ? header
            : askedExpires;
    }

    private bool Fail(string reason, Pending kind)
    {
        answeredFreshChallenge = false;
        if (kind == Pending.Unregister || stopping)
        {
            Finish();
            return false;
        }

        failures++;
        staleAnswers = 0;
        nextRegister = time.GetUtcNow() + timings.Backoff(failures);
        return Set(RegistrationStatus.Offline, reason);
    }

    private void Finish()
    {
        Finished = true;
        (pendingKey, pendingKind) = (null, Pending.None);
    }

    private bool Set(RegistrationStatus status, string? reason)
    {
        if (Status == status && Reason == reason)
        {
            return false;
        }

        (Status, Reason) = (status, reason);
        return true;
    }

    private void Raise(bool changed)
    {
        if (changed)
        {
            Changed?.Invoke(this);
        }
    }

    private void SendRegister(int expires, Pending kind, bool freshChallenge = false)
    {
        answeredFreshChallenge = freshChallenge;
        var by = sentBy(Account.Remote.Address);
        var headers = Common("REGISTER", by, callId, ++cseq, out var branch);
        headers.Add(new SipHeader(HeaderNames.Contact, $"<{ContactUri}>"));
        headers.Add(new SipHeader(HeaderNames.Expires, expires.ToString(CultureInfo.InvariantCulture)));
        if (challenge is { } c)
        {
            headers.Add(new SipHeader(proxyChallenge ? "Proxy-Authorization" : HeaderNames.Authorization,
                c.Answer("REGISTER", Account.RegistrarUri, Account.Username, Account.Password, tokens(), ++nonceCount)));
        }

        headers.Add(new SipHeader(HeaderNames.UserAgent, SipResponses.Agent));
        Send(new SipRequest("REGISTER", Account.RegistrarUri, "SIP/2.0", new SipHeaders(headers), ReadOnlyMemory<byte>.Empty), branch, kind);
    }

    private void SendKeepAlive()
    {
        var by = sentBy(Account.Remote.Address);
        // Its own Call-ID, so keep-alives take no CSeq numbers from the registration (§10.2 wants them consecutive).
        var headers = Common("OPTIONS", by, $"{tokens()}@command", 1, out var branch);
        headers.Add(new SipHeader(HeaderNames.UserAgent, SipResponses.Agent));
        Send(new SipRequest("OPTIONS", Account.RegistrarUri, "SIP/2.0", new SipHeaders(headers), ReadOnlyMemory<byte>.Empty), branch, Pending.KeepAlive);
    }

    private List<SipHeader> Common(string method, string by, string call, uint number, out string branch)
    {
        branch = ViaHeader.MagicCookie + tokens();
        return
        [
            new(HeaderNames.Via, $"SIP/2.0/{(Account.Reliable ? "TCP" : "UDP")} {by};branch={branch};rport"),
            new(HeaderNames.MaxForwards, "70"),
            new(HeaderNames.From, $"<{Account.AddressOfRecord}>;tag={fromTag}"),
            new(HeaderNames.To, $"<{Account.AddressOfRecord}>"),
            new(HeaderNames.CallId, call),
            new(HeaderNames.CSeq, $"{number} {method}"),
        ];
    }

    /// <summary>Called under the lock, so an answer that comes back at once finds the request recorded.</summary>
    private void Send(SipRequest request, string branch, Pending kind)
    {
        (pendingKey, pendingKind) = (SipTransactionLayer.ClientKey(branch, request.Method), kind);
        layer.Send(request, Account.Remote, Account.Reliable, timings.AnswerTimeout);
    }
}
