using Command.Contracts;
using Command.Contracts.Auth;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Auth;

[Collection(ClusterCollection.Name)]
public sealed class UserDirectoryTests(ClusterFixture fixture)
{
    private IUserDirectoryGrain FreshDirectory() => fixture.Grains.GetGrain<IUserDirectoryGrain>("users-" + Guid.NewGuid().ToString("N"));

    private static string FreshName() => "u" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task A_name_is_taken_whatever_its_case()
    {
        var directory = FreshDirectory();
        var name = FreshName();
        await directory.CreateAsync(name, "hash", "viewer", "440600");

        var e = await Assert.ThrowsAsync<CommandException>(() => directory.CreateAsync(name.ToUpperInvariant(), "hash2", "admin", "440000"));

        Assert.Equal(CommandErrorKind.Conflict, e.Kind);
        var kept = await directory.GetAsync(name.ToUpperInvariant());
        Assert.Equal(("hash", "viewer", "440600"), (kept!.PasswordHash, kept.Role, kept.Region));
        Assert.Single(await directory.ListAsync());
    }

    [Theory]
    [InlineData("password")]
    [InlineData("disable")]
    [InlineData("role")]
    public async Task A_password_change_a_disable_or_a_new_role_refuses_every_token_issued_before(string change)
    {
        var directory = FreshDirectory();
        var name = FreshName();
        await directory.CreateAsync(name, "hash", "viewer", "440600");
        var revocations = fixture.Grains.GetGrain<ITokenRevocationGrain>(ITokenRevocationGrain.KeyOf(name));
        var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);
        Assert.False((await revocations.GetAsync()).Refuses("t1", before));

        await (change switch
        {
            "password" => directory.SetPasswordAsync(name, "hash2"),
            "disable" => directory.SetDisabledAsync(name, true),
            _ => directory.UpdateAsync(name, "chair-operator", "440600"),
        });

        var now = await revocations.GetAsync();
        Assert.True(now.Refuses("t1", before));
        Assert.False(now.Refuses("t2", DateTimeOffset.UtcNow.AddSeconds(1)));
    }

    [Fact]
    public async Task Enabling_and_setting_a_second_factor_keep_tokens()
    {
        var directory = FreshDirectory();
        var name = FreshName();
        await directory.CreateAsync(name, "hash", "viewer", "440600");

        await directory.SetTotpSecretAsync(name, "JBSWY3DPEHPK3PXP");
        await directory.SetDisabledAsync(name, false);

        Assert.Null((await fixture.Grains.GetGrain<ITokenRevocationGrain>(ITokenRevocationGrain.KeyOf(name)).GetAsync()).ValidAfter);
        Assert.Equal("JBSWY3DPEHPK3PXP", (await directory.GetAsync(name))!.TotpSecret);
    }

    [Fact]
    public async Task Changing_an_unknown_user_is_not_found_and_bad_input_changes_nothing()
    {
        var directory = FreshDirectory();

        var missing = await Assert.ThrowsAsync<CommandException>(() => directory.SetPasswordAsync("nobody", "hash"));
        var blank = await Assert.ThrowsAsync<CommandException>(() => directory.CreateAsync(" ", "hash", "viewer", "440600"));

        Assert.Equal(CommandErrorKind.NotFound, missing.Kind);
        Assert.Equal(CommandErrorKind.Invalid, blank.Kind);
        Assert.Empty(await directory.ListAsync());
    }
}
