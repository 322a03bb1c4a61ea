namespace Command.Web.Tests.Auth;

/// <summary>
/// One row of the authority table: an endpoint, the roles allowed to call it, and whether the
/// caller's region must cover the target (a 禅城 session, incident, booking or venue).
/// </summary>
public sealed record MatrixEndpoint(
    string Name,
    string Method,
    string Path,
    Func<MatrixTargets, object?>? Body,
    string[] Roles,
    bool Scoped,
    int Success = 200);
