using System.Net;

namespace MediaBridge.Sip.Transactions;

/// <summary>
/// RFC 3261 §17 transactions over one transport. Incoming bytes pass <see cref="SipAdmission"/>;
/// a retransmitted request is absorbed and its last response sent again; responses are matched
/// to client transactions by branch and CSeq method (§17.1.3) and strays are dropped. Timers run
/// from <see cref="Poll"/>, which a transport calls when <see cref="WaitForTimerAsync"/> says a timer
/// is due, so the clock is injectable for tests and an idle bridge does not wake for nothing.
/// All public methods are safe to call from the receive loop and the timer loop at once.
/// </summary>
public sealed class SipTransactionLayer(ISipSender sender, ISipTransactionUser user, TimeProvider time, SipTimerSettings? timers = null)
{
    private readonly SipTimerSettings t = timers ?? SipTimerSettings.Default;
    private readonly Dictionary<string, ServerTransaction> servers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClientTransaction> clients = new(StringComparer.Ordinal);
    private readonly PriorityQueue<(object Transaction, TimerKind Kind, long Generation), DateTimeOffset> due = new();
    private readonly Dictionary<(object Transaction, TimerKind Kind), long> generations = [];
    private readonly Lock gate = new();
    private TaskCompletionSource? armed;
    private DateTimeOffset armedBefore = DateTimeOffset.MaxValue;

    public int ServerCount { get { lock (gate) { return servers.Count; } } }

    public int ClientCount { get { lock (gate) { return clients.Count; } } }

    public void Receive(ReadOnlySpan<byte> data, IPEndPoint remote, bool reliable)
    {
        var admission = SipAdmission.Admit(data, datagram: !reliable);
        switch (admission.Outcome)
        {
            case SipAdmissionOutcome.Reply:
                sender.Send(SipWriter.Write(admission.Reply!), remote, reliable);
                break;
            case SipAdmissionOutcome.Request:
                OnRequest(admission.Request!, remote, reliable);
                break;
            case SipAdmissionOutcome.Response:
                OnResponse(admission.Response!);
                break;
        }
    }

    /// <summary>Sends a response within a server transaction, moving it on as §17.2.1 and §17.2.2 say.</summary>
    /// <returns>The response as sent, so the dialog layer can resend a 2xx until its ACK (§13.3.1.4); null if the transaction was already answered.</returns>
    public byte[]? Respond(ServerTransaction tx, int status, IEnumerable<SipHeader>? extra = null, ReadOnlyMemory<byte> body = default, string? reason = null)
    {
        var response = SipResponses.For(tx.Request.Message, status, reason, extra, tx.ToTag);
        if (!body.IsEmpty)
        {
            response = new SipResponse(response.StatusCode, response.Reason, response.Headers, body);
        }

        var wire = SipWriter.Write(response);
        lock (gate)
        {
            if (tx.State is TransactionState.Completed or TransactionState.Confirmed or TransactionState.Terminated)
            {
                return null;
            }

            tx.LastResponse = wire;
            if (status < 200)
            {
                tx.State = TransactionState.Proceeding;
            }
            else if (tx.IsInvite && status < 300)
            {
                // §17.2.1: a 2xx ends the INVITE transaction; the dialog layer resends it until the ACK.
                End(tx);
            }
            else
            {
                tx.State = TransactionState.Completed;
                if (tx.IsInvite)
                {
                    tx.RetransmitInterval = t.T1;
                    Schedule(tx, TimerKind.Timeout, t.Timeout);
                    if (!tx.Reliable)
                    {
                        Schedule(tx, TimerKind.Retransmit, tx.RetransmitInterval);
                    }
                }
                else
                {
                    Schedule(tx, TimerKind.Linger, tx.Reliable ? TimeSpan.Zero : t.Timeout);
                }
            }
        }

        sender.Send(wire, tx.Remote, tx.Reliable);
        return wire;
    }

    /// <summary>Starts a client transaction: sends the request and retransmits it over UDP (Timers A and E).</summary>
    /// <param name="timeout">Ends the transaction sooner than Timer B/F, for a sender that must know within a bound (a keep-alive).</param>
    public ClientTransaction Send(SipRequest request, IPEndPoint remote, bool reliable, TimeSpan? timeout = null)
    {
        var via = request.Headers[HeaderNames.Via] is { } v && ViaHeader.TryParse(HeaderText.SplitTopLevel(v, ',')[0], out var top) ? top : null;
        var branch = via?.Branch ?? throw new ArgumentException("A request this bridge sends needs a Via branch", nameof(request));
        var wire = SipWriter.Write(request);
        var tx = new ClientTransaction(ClientKey(branch, request.Method), request, wire, remote, reliable) { RetransmitInterval = t.T1 };
        lock (gate)
        {
            clients[tx.Key] = tx;
            Schedule(tx, TimerKind.Timeout, timeout is { } bound && bound < t.Timeout ? bound : t.Timeout);
            if (!reliable)
            {
                Schedule(tx, TimerKind.Retransmit, t.T1);
            }
        }

        sender.Send(wire, remote, reliable);
        return tx;
    }

    /// <summary>The INVITE server transaction a CANCEL refers to (same branch and sent-by, §9.2).</summary>
    public ServerTransaction? FindInvite(AdmittedRequest cancel)
    {
        lock (gate)
        {
            return servers.GetValueOrDefault(ServerKey(cancel, "INVITE"));
        }
    }

    /// <summary>Runs every timer that is due: retransmissions, timeouts and the end of lingering transactions.</summary>
    public void Poll()
    {
        var sends = new List<(byte[] Wire, IPEndPoint Remote, bool Reliable)>();
        var timeouts = new List<object>();
        lock (gate)
        {
            var now = time.GetUtcNow();
            while (due.TryPeek(out var item, out var at) && at <= now)
            {
                due.Dequeue();
                if (generations.GetValueOrDefault((item.Transaction, item.Kind)) != item.Generation)
                {
                    continue;
                }

                Fire(item.Transaction, item.Kind, sends, timeouts);
            }
        }

        foreach (var (wire, remote, reliable) in sends)
        {
            sender.Send(wire, remote, reliable);
        }

        foreach (var tx in timeouts)
        {
            user.OnTimeout(tx);
        }
    }

    private void Fire(object transaction, TimerKind kind, List<(byte[], IPEndPoint, bool)> sends, List<object> timeouts)
    {
        switch (transaction, kind)
        {
            case (ClientTransaction c, TimerKind.Retransmit) when c.State is TransactionState.Started or TransactionState.Proceeding:
                sends.Add((c.Wire, c.Remote, c.Reliable));
                c.RetransmitInterval = c.IsInvite ? c.RetransmitInterval * 2
                    : c.State == TransactionState.Proceeding ? t.T2 : Min(c.RetransmitInterval * 2, t.T2);
                Schedule(c, TimerKind.Retransmit, c.RetransmitInterval);
                break;
            case (ClientTransaction c, TimerKind.Timeout) when c.State is TransactionState.Started or TransactionState.Proceeding:
                End(c);
                timeouts.Add(c);
                break;
            case (ClientTransaction c, TimerKind.Linger):
                End(c);
                break;
            case (ServerTransaction s, TimerKind.Retransmit) when s.State == TransactionState.Completed && s.LastResponse is { } last:
                sends.Add((last, s.Remote, s.Reliable));
                s.RetransmitInterval = Min(s.RetransmitInterval * 2, t.T2);
                Schedule(s, TimerKind.Retransmit, s.RetransmitInterval);
                break;
            case (ServerTransaction s, TimerKind.Timeout) when s.State == TransactionState.Completed:
                End(s);
                timeouts.Add(s);
                break;
            case (ServerTransaction s, TimerKind.Linger):
                End(s);
                break;
        }
    }

    private void OnRequest(AdmittedRequest request, IPEndPoint remote, bool reliable)
    {
        var method = request.Message.Method;
        byte[]? resend = null;
        ServerTransaction? created = null;
        var ackFor2xx = false;
        lock (gate)
        {
            if (servers.TryGetValue(ServerKey(request, method == "ACK" ? "INVITE" : method), out var existing))
            {
                if (method == "ACK")
                {
                    if (existing.State == TransactionState.Completed)
                    {
                        // §17.2.1: the ACK for a failure response; stop resending it and linger for Timer I.
                        existing.State = TransactionState.Confirmed;
                        Schedule(existing, TimerKind.Linger, existing.Reliable ? TimeSpan.Zero : t.T4);
                    }
                }
                else
                {
                    resend = existing.State is TransactionState.Proceeding or TransactionState.Completed ? existing.LastResponse : null;
                }
            }
            else if (method == "ACK")
            {
                ackFor2xx = true;
            }
            else
            {
                created = new ServerTransaction(ServerKey(request, method), request, remote, reliable);
                servers[created.Key] = created;
            }
        }

        if (resend is not null)
        {
            sender.Send(resend, remote, reliable);
        }
        else if (ackFor2xx)
        {
            user.OnAck(request, remote);
        }
        else if (created is not null)
        {
            if (created.IsInvite)
            {
                // §17.2.1: answer an INVITE with 100 Trying at once, so the client stops retransmitting.
                Respond(created, 100);
            }

            user.OnRequest(created);
        }
    }

    private void OnResponse(SipResponse response)
    {
        var top = response.Headers[HeaderNames.Via] is { } v && ViaHeader.TryParse(HeaderText.SplitTopLevel(v, ',')[0], out var via) ? via : null;
        var cseq = response.Headers[HeaderNames.CSeq] is { } c && CSeqHeader.TryParse(c, out var parsed) ? parsed : null;
        if (top?.Branch is not { } branch || cseq is null)
        {
            return;
        }

        ClientTransaction? tx;
        var deliver = false;
        var stray2xx = false;
        byte[]? ack = null;
        lock (gate)
        {
            if (!clients.TryGetValue(ClientKey(branch, cseq.Method), out tx))
            {
                stray2xx = cseq.Method == "INVITE" && response.StatusCode is >= 200 and < 300;
            }
            else if (tx.State == TransactionState.Completed)
            {
                ack = tx.Ack;
            }
            else if (response.StatusCode < 200)
            {
                tx.State = TransactionState.Proceeding;
                deliver = true;
                if (tx.IsInvite)
                {
                    Cancel(tx, TimerKind.Retransmit);
                }
            }
            else
            {
                deliver = true;
                if (tx.IsInvite && response.StatusCode < 300)
                {
                    End(tx);
                }
                else
                {
                    tx.State = TransactionState.Completed;
                    if (tx.IsInvite)
                    {
                        tx.Ack = SipWriter.Write(AckFor(tx.Request, response));
                        ack = tx.Ack;
                    }

                    Schedule(tx, TimerKind.Linger, tx.Reliable ? TimeSpan.Zero : tx.IsInvite ? TimeSpan.FromSeconds(32) : t.T4);
                }
            }
        }

        if (tx is null)
        {
            if (stray2xx)
            {
                // §17.1.1.2: retransmissions of a 2xx outlive the INVITE transaction; the dialog layer ACKs them again.
                user.OnInviteSuccessRetransmitted(response);
            }

            return;
        }

        if (ack is not null)
        {
            sender.Send(ack, tx.Remote, tx.Reliable);
        }

        if (deliver)
        {
            user.OnResponse(tx, response);
        }
    }

    /// <summary>§17.1.1.3: the ACK for a non-2xx final response belongs to the INVITE's transaction.</summary>
    private static SipRequest AckFor(SipRequest invite, SipResponse response)
    {
        var headers = new List<SipHeader>
        {
            new(HeaderNames.Via, HeaderText.SplitTopLevel(invite.Headers[HeaderNames.Via]!, ',')[0]),
            new(HeaderNames.MaxForwards, "70"),
            new(HeaderNames.From, invite.Headers[HeaderNames.From] ?? ""),
            new(HeaderNames.To, response.Headers[HeaderNames.To] ?? invite.Headers[HeaderNames.To] ?? ""),
            new(HeaderNames.CallId, invite.CallId ?? ""),
            new(HeaderNames.CSeq, CSeqHeader.TryParse(invite.Headers[HeaderNames.CSeq] ?? "", out var c) ? $"{c.Number} ACK" : "1 ACK"),
        };
        headers.AddRange(invite.Headers.Values(HeaderNames.Route).Select(r => new SipHeader(HeaderNames.Route, r)));
        return new SipRequest("ACK", invite.RequestUri, "SIP/2.0", new SipHeaders(headers), ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>
    /// Waits until the earliest armed timer comes due, or a timer is armed that comes due sooner, or
    /// <paramref name="longest"/> has passed; then <see cref="Poll"/> runs what is due.
    /// </summary>
    public async Task WaitForTimerAsync(TimeSpan longest, CancellationToken cancel)
    {
        TaskCompletionSource woken = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TimeSpan wait;
        lock (gate)
        {
            var now = time.GetUtcNow();
            wait = due.TryPeek(out _, out var at) && at - now < longest ? at - now : longest;
            wait = wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            armed = woken;
            armedBefore = now + wait;
        }

        try
        {
            if (wait > TimeSpan.Zero)
            {
                using var sleeping = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                var delay = Task.Delay(wait, time, sleeping.Token);
                await Task.WhenAny(woken.Task, delay).ConfigureAwait(false);
                await sleeping.CancelAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            lock (gate)
            {
                armed = null;
                armedBefore = DateTimeOffset.MaxValue;
            }
        }

        cancel.ThrowIfCancellationRequested();
    }

    /// <summary>(Re)arms one timer of a transaction; an older arming of the same timer is ignored when it comes due.</summary>
    private void Schedule(object tx, TimerKind kind, TimeSpan after)
    {
        var generation = generations.GetValueOrDefault((tx, kind)) + 1;
        generations[(tx, kind)] = generation;
        var at = time.GetUtcNow() + after;
        due.Enqueue((tx, kind, generation), at);
        if (armed is not null && at < armedBefore)
        {
            armedBefore = at;
            armed.TrySetResult();
        }
    }

    private void Cancel(object tx, TimerKind kind) => generations[(tx, kind)] = generations.GetValueOrDefault((tx, kind)) + 1;

    private void End(ServerTransaction tx)
    {
        tx.State = TransactionState.Terminated;
        servers.Remove(tx.Key);
        Forget(tx);
    }

    private void End(ClientTransaction tx)
    {
        tx.State = TransactionState.Terminated;
        clients.Remove(tx.Key);
        Forget(tx);
    }

    private void Forget(object tx)
    {
        foreach (var kind in Enum.GetValues<TimerKind>())
        {
            generations.Remove((tx, kind));
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public static string ClientKey(string branch, string method) => $"{branch}|{method}";

    /// <summary>§17.2.3: branch, sent-by and method; requests without the magic cookie fall back to the RFC 2543 fields.</summary>
    private static string ServerKey(AdmittedRequest r, string method)
    {
        var via = r.Vias[0];
        var sentBy = $"{via.Host}:{via.Port ?? 5060}";
        return via.Branch is { } branch && branch.StartsWith(ViaHeader.MagicCookie, StringComparison.Ordinal)
            ? $"b|{branch}|{sentBy}|{method}"
            : $"c|{r.CallId}|{r.CSeq.Number}|{r.From.Tag}|{r.To.Tag}|{sentBy}|{method}";
    }
}
