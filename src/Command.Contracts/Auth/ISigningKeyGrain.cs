namespace Command.Contracts.Auth;

/// <summary>The token signing key, made once and kept in the store so every web host signs and checks alike.</summary>
public interface ISigningKeyGrain : IGrainWithStringKey
{
    const string DefaultKey = "jwt";

    Task<byte[]> GetOrCreateAsync();
}
