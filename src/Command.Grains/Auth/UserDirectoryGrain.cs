using System.Collections.Immutable;
using Command.Contracts;
using Command.Contracts.Auth;

namespace Command.Grains.Auth;

public sealed class UserDirectoryGrain(
    [PersistentState("user-directory", CommandStorage.Name)] IPersistentState<UserDirectoryState> state,
    TimeProvider time) : Grain, IUserDirectoryGrain
{
    public Task<ImmutableArray<UserRecord>> ListAsync() =>
        Task.FromResult(state.State.Users.Values.OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ToImmutableArray());

    public Task<UserRecord?> GetAsync(string name) => Task.FromResult(state.State.Users.GetValueOrDefault(Key(name)));

    public async Task<UserRecord> CreateAsync(string name, string passwordHash, string role, string region)
    {
        Check(name, "name");
        Check(passwordHash, "passwordHash");
        Check(role, "role");
        Check(region, "region");
        if (state.State.Users.ContainsKey(Key(name)))
        {
            throw CommandException.Conflict($"User '{name.Trim()}' already exists.");
        }

        var now = time.GetUtcNow();
        var user = new UserRecord(name.Trim(), passwordHash, role, region, false, null, now, now);
        state.State.Users[Key(name)] = user;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Users.Remove(Key(name));
            throw;
        }

        return user;
    }

    public async Task<UserRecord> UpdateAsync(string name, string role, string region)
    {
        Check(role, "role");
        Check(region, "region");
        var user = Find(name);
        if (user.Role == role && user.Region == region)
        {
            return user;
        }

        return await SaveAsync(user with { Role = role, Region = region }, revoke: true);
    }

    public async Task<UserRecord> SetPasswordAsync(string name, string passwordHash)
    {
        Check(passwordHash, "passwordHash");
        return await SaveAsync(Find(name) with { PasswordHash = passwordHash }, revoke: true);
    }

    public async Task<UserRecord> SetDisabledAsync(string name, bool disabled)
    {
        var user = Find(name);
        return user.Disabled == disabled ? user : await SaveAsync(user with { Disabled = disabled }, revoke: disabled);
    }

    public async Task<UserRecord> SetTotpSecretAsync(string name, string? secret)
    {
        if (secret is not null)
        {
            Check(secret, "secret");
        }

        return await SaveAsync(Find(name) with { TotpSecret = secret }, revoke: false);
    }

    private async Task<UserRecord> SaveAsync(UserRecord user, bool revoke)
    {
        // Revoke first: a write that then fails only signs the user out, while the other order could store the
        // change and leave the old tokens live.
        if (revoke)
        {
            await GrainFactory.GetGrain<ITokenRevocationGrain>(ITokenRevocationGrain.KeyOf(user.Name)).RevokeAllAsync();
        }

        user = user with { UpdatedAt = time.GetUtcNow() };
        var previous = state.State.Users.GetValueOrDefault(Key(user.Name));
        state.State.Users[Key(user.Name)] = user;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Bad luck with the store changes nothing here either.
            state.State.Users[Key(user.Name)] = previous!;
            throw;
        }

        return user;
    }

    private UserRecord Find(string name) =>
        state.State.Users.GetValueOrDefault(Key(name)) ?? throw CommandException.NotFound("User", name);

    private static string Key(string name) => ITokenRevocationGrain.KeyOf(name ?? "");

    private static void Check(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw CommandException.Invalid($"{field} is required.");
        }
    }
}
