using System.Net;
using System.Net.Http.Headers;
using Command.Contracts.Auth;
using Command.Grains.Tests.Infrastructure;
using Command.Web.Auth;
using Command.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Command.Web.Tests.Auth;

[Collection(ApiCollection.Name)]
public sealed class TokenRevocationTests(CommandApiFactory factory)
{
    private static readonly string User = TestUsers.For("viewer", TestUsers.City);

    [Fact]
    public async Task A_bearer_token_dies_on_logout()
    {
        using var http = await FreshBearerClientAsync();
        await http.GetJsonAsync("/api/auth/me");

        using var logout = await http.PostAsync("/api/auth/logout", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await http.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
        await http.GetJsonAsync("/api/venues", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_copied_dashboard_cookie_dies_on_logout()
    {
        using var http = factory.CreateClient(new() { HandleCookies = false });
        using var login = await http.PostAsync("/api/auth/login", JsonContent(User), TestContext.Current.CancellationToken);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("command.auth=", StringComparison.Ordinal)).Split(';')[0];
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        await http.GetJsonAsync("/api/auth/me");

        using var logout = await http.PostAsync("/api/auth/logout", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await http.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_gives_a_new_token_and_the_old_one_dies()
    {
        using var old = await FreshBearerClientAsync();

        var refreshed = await old.PostJsonAsync("/api/auth/refresh", null);

        await old.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
        using var renewed = factory.CreateClient();
        renewed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)refreshed["accessToken"]!);
        Assert.Equal(User, (string?)(await renewed.GetJsonAsync("/api/auth/me"))["name"]);
    }

    [Fact]
    public async Task A_token_lasts_an_hour_by_default_and_carries_an_id()
    {
        using var http = factory.CreateClient();

        var issued = await http.PostJsonAsync("/api/auth/token", new { username = User, password = TestUsers.PasswordOf(User) });

        var expires = DateTimeOffset.Parse((string)issued["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken((string)issued["accessToken"]!);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
    }

    [Fact]
    public async Task The_hub_refuses_a_revoked_token()
    {
        using var http = await FreshBearerClientAsync();
        var token = http.DefaultRequestHeaders.Authorization!.Parameter!;
        using var anonymous = factory.CreateClient();
        using var before = await anonymous.PostAsync($"/hubs/command/negotiate?negotiateVersion=1&access_token={token}", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await http.PostAsync("/api/auth/logout", null, TestContext.Current.CancellationToken);

        using var after = await anonymous.PostAsync($"/hubs/command/negotiate?negotiateVersion=1&access_token={token}", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Another_web_host_refuses_a_revoked_token_once_its_cache_expires()
    {
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var otherHost = new TokenRevocationCheck(grains, Options.Create(new AuthOptions { RevocationCacheSeconds = 1 }), TimeProvider.System);
        var name = "elsewhere-" + Guid.NewGuid().ToString("N");
        var issuedAt = DateTimeOffset.UtcNow;
        Assert.False(await otherHost.IsRevokedAsync(name, "t1", issuedAt));

        await factory.Services.GetRequiredService<TokenRevocationCheck>().RevokeAsync(name, "t1", issuedAt.AddMinutes(5));

        var started = DateTimeOffset.UtcNow;
        await Eventually.Until(() => otherHost.IsRevokedAsync(name, "t1", issuedAt), revoked => revoked, TimeSpan.FromSeconds(5));
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(3));
        Assert.False(await otherHost.IsRevokedAsync(name, "t2", issuedAt));
        Assert.Contains("t1", (await grains.GetGrain<ITokenRevocationGrain>(ITokenRevocationGrain.KeyOf(name)).GetAsync()).TokenIds);
    }

    private async Task<HttpClient> FreshBearerClientAsync()
    {
        var http = factory.CreateClient();
        var issued = await http.PostJsonAsync("/api/auth/token", new { username = User, password = TestUsers.PasswordOf(User) });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)issued["accessToken"]!);
        return http;
    }

    private static System.Net.Http.Json.JsonContent JsonContent(string user) =>
        System.Net.Http.Json.JsonContent.Create(new { username = user, password = TestUsers.PasswordOf(user) });
}
