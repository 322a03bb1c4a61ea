namespace MediaBridge.Sip;

public enum SipAdmissionOutcome
{
    /// <summary>Nothing to do: unreadable, or not addressable.</summary>
    Drop,

    /// <summary>A request refused here; send <see cref="SipAdmission.Reply"/>.</summary>
    Reply,

    /// <summary>A well-formed request for the registrar or the dialog layer.</summary>
    Request,

    /// <summary>A well-formed response for the transaction layer, which drops it if nothing matches.</summary>
    Response,
}
