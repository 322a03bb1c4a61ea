namespace Command.Web.Auth;

/// <summary>What a request does to the session named in its route.</summary>
public enum SessionAccess
{
    /// <summary>Read: any venue of the session within the user's region.</summary>
    See,

    /// <summary>Floor control: the chair venue within the user's region.</summary>
    Control,

    /// <summary>Start or end: control, and a role that runs this kind of session.</summary>
    Run,
}
