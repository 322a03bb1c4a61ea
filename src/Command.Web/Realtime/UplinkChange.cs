using Command.Contracts.Cascade;

namespace Command.Web.Realtime;

/// <summary>An uplink's status, holder or definition changed (status offline with reason "removed" when it was removed); a client drops anything not newer than <see cref="Seq"/>.</summary>
public sealed record UplinkChange(long Seq, UplinkView Uplink);
