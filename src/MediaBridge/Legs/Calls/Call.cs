using Command.Contracts.Media;
using MediaBridge.Conference;
using MediaBridge.Sip.Dialogs;
using MediaBridge.Sip.Transactions;

namespace MediaBridge.Legs.Calls;

/// <summary>One venue's call in one session: the dialog, the media leg, and where the call stands.</summary>
public sealed class Call(string sessionId, string venueId, SipDialog dialog, ConferenceLeg media, bool inbound)
{
    public string SessionId { get; } = sessionId;

    public string VenueId { get; } = venueId;

    public SipDialog Dialog { get; } = dialog;

    public ConferenceLeg Media { get; } = media;

    public bool Inbound { get; } = inbound;

    public LegState State { get; set; } = LegState.Calling;

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The INVITE this bridge sent, while it awaits a final answer.</summary>
    public ClientTransaction? Invite { get; set; }

    public bool Provisional { get; set; }

    public bool MediaReleased { get; set; }

    /// <summary>Hang up as soon as the pending INVITE is answered (it could not be cancelled yet).</summary>
    public bool HangUpWhenAnswered { get; set; }

    /// <summary>The 2xx this bridge sent and resends until the ACK comes (RFC 3261 §13.3.1.4).</summary>
    public byte[]? Unacknowledged { get; set; }

    public DateTimeOffset ResendAt { get; set; }

    public TimeSpan ResendInterval { get; set; }

    public DateTimeOffset AnsweredAt { get; set; }

    /// <summary>The ACK this bridge sent for the 2xx it received, resent if that 2xx comes again.</summary>
    public byte[]? Ack { get; set; }

    /// <summary>An INVITE without an offer: the bridge offered in its 2xx and awaits the answer in the ACK.</summary>
    public bool AwaitingAnswerInAck { get; set; }

    public ulong SdpSessionId { get; } = (ulong)Random.Shared.NextInt64(1, long.MaxValue);

    public ulong SdpVersion { get; set; } = 1;
}
