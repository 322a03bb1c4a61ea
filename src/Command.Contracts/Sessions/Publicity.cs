namespace Command.Contracts.Sessions;

/// <summary>The publicity gate (公开审批): a session asks to be public at creation, and an approver decides.</summary>
public enum Publicity
{
    /// <summary>Not asked to be public.</summary>
    None,

    /// <summary>Created with <c>public: true</c>, not yet decided.</summary>
    Requested,

    /// <summary>Shown to the public, live and in the archive.</summary>
    Approved,

    /// <summary>Refused, or withdrawn after approval: hidden from the public.</summary>
    Refused,
}
