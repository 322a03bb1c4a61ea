namespace MediaBridge.Sip;

/// <summary>A request that passed admission, with the headers every layer needs already parsed.</summary>
public sealed record AdmittedRequest(
    SipRequest Message,
    SipUri RequestUri,
    IReadOnlyList<ViaHeader> Vias,
    NameAddress From,
    NameAddress To,
    string CallId,
    CSeqHeader CSeq,
    int? MaxForwards,
    IReadOnlyList<NameAddress> Contacts,
    bool ContactIsWildcard);
