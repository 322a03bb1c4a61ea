using System.Net;

namespace MediaBridge.Sip.Registration;

/// <summary>
/// Where and as whom a client registers: the registrar's URI (the Request-URI), the domain of the
/// address-of-record <c>sip:{Username}@{Domain}</c>, the address REGISTERs are sent to, and the digest
/// credentials; over TCP when <see cref="Reliable"/> (the registrar URI says <c>;transport=tcp</c>). It never prints its password.
/// </summary>
public sealed record RegistrationAccount(string RegistrarUri, string Domain, IPEndPoint Remote, string Username, string Password)
{
    /// <summary>Registers over one TCP connection to <see cref="Remote"/> instead of UDP datagrams.</summary>
    public bool Reliable { get; init; }

    public string AddressOfRecord => $"sip:{Username}@{Domain}";

    public override string ToString() => $"RegistrationAccount {{ {AddressOfRecord} via {RegistrarUri} at {Remote}{(Reliable ? " over TCP" : "")}, Password = *** }}";
}
