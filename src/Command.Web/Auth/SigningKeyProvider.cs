using Command.Contracts.Auth;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Command.Web.Auth;

/// <summary>The key that signs and checks bearer tokens: configured, or made once and kept in the store.</summary>
public sealed class SigningKeyProvider(IOptions<AuthOptions> options, IGrainFactory grains)
{
    private SymmetricSecurityKey? key;

    public SymmetricSecurityKey Key => key ?? throw new InvalidOperationException("The signing key is not loaded yet.");

    public async Task LoadAsync()
    {
        if (key is not null)
        {
            return;
        }

        var bytes = options.Value.SigningKey is { Length: > 0 } configured
            ? Convert.FromBase64String(configured)
            : await grains.GetGrain<ISigningKeyGrain>(ISigningKeyGrain.DefaultKey).GetOrCreateAsync();
        if (bytes.Length < 32)
        {
            throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), ["SigningKey must be at least 32 bytes (base64)"]);
        }

        key = new SymmetricSecurityKey(bytes) { KeyId = "command" };
    }
}
