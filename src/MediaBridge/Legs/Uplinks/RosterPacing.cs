namespace MediaBridge.Legs.Uplinks;

/// <summary>
/// The rosters due up one cascade call: the first goes at once, a change goes no sooner than <c>every</c> after the
/// one before (the changes within it go together, as the latest), and a roster the call already has is not sent again.
/// </summary>
public sealed class RosterPacing(TimeSpan every)
{
    private byte[]? due;
    private byte[]? sent;
    private DateTimeOffset sentAt;

    /// <summary>Notes the roster the call should have now.</summary>
    public void Want(byte[] body) => due = body;

    /// <summary>The body to send at <paramref name="now"/>, noted as sent, or null when there is none or it must wait.</summary>
    public byte[]? Take(DateTimeOffset now)
    {
        if (due is null || (sent is not null && (sent.AsSpan().SequenceEqual(due) || now - sentAt < every)))
        {
            return null;
        }

        (sent, sentAt) = (due, now);
        return due;
    }
}
