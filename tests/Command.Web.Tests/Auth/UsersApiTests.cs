using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Auth;

[Collection(ApiCollection.Name)]
public sealed class UsersApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    private const string Strong = "Fire-Brigade-2024";

    [Fact]
    public async Task An_admin_creates_a_user_who_then_signs_in_with_that_role_and_region()
    {
        var name = FreshName();

        var created = await http.PostJsonAsync("/api/users", new { name, password = Strong, role = "meeting-operator", region = TestUsers.Sanshui }, HttpStatusCode.Created);

        Assert.Equal("store", (string?)created["source"]);
        Assert.Contains((await http.GetJsonAsync("/api/users")).AsArray(), u => (string?)u!["name"] == name);
        using var anonymous = Factory.CreateClient();
        var issued = await anonymous.PostJsonAsync("/api/auth/token", new { username = name, password = Strong });
        Assert.Equal(("meeting-operator", TestUsers.Sanshui), ((string?)issued["user"]!["role"], (string?)issued["user"]!["region"]));
        Assert.Null(created["passwordHash"]);
    }

    [Theory]
    [InlineData("Short-1a", "at least 10 characters")]
    [InlineData("alllowercase-only", "at least three of")]
    [InlineData("NoSymbolsOrDigits", "at least three of")]
    public async Task A_weak_password_is_refused_naming_the_rule_and_creates_nothing(string password, string rule)
    {
        var name = FreshName();

        var problem = await http.PostJsonAsync("/api/users", new { name, password, role = "viewer", region = TestUsers.City }, HttpStatusCode.BadRequest);

        Assert.Contains(rule, (string?)problem["detail"], StringComparison.Ordinal);
        await http.GetJsonAsync($"/api/users/{name}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_password_equal_to_the_user_name_is_refused()
    {
        var name = "Ops.Lead-" + Guid.NewGuid().ToString("N")[..6];

        var problem = await http.PostJsonAsync("/api/users", new { name, password = name, role = "viewer", region = TestUsers.City }, HttpStatusCode.BadRequest);

        Assert.Contains("user name", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_reset_ends_the_users_sign_ins_and_the_new_password_works()
    {
        var name = await CreateAsync("viewer", TestUsers.City);
        using var user = await SignedInAsync(name, Strong);

        using var reset = await http.PostAsJsonAsync($"/api/users/{name}/password", new { newPassword = "Another-Pass-99" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await user.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
        using var again = await SignedInAsync(name, "Another-Pass-99");
        await again.GetJsonAsync("/api/auth/me");
    }

    [Fact]
    public async Task A_disabled_user_loses_its_sign_ins_and_cannot_sign_in_until_enabled()
    {
        var name = await CreateAsync("chair-operator", TestUsers.City);
        using var user = await SignedInAsync(name, Strong);

        var disabled = await http.PostJsonAsync($"/api/users/{name}/disable", null);

        Assert.Equal(true, (bool?)disabled["disabled"]);
        await user.GetJsonAsync("/api/venues", HttpStatusCode.Unauthorized);
        using var anonymous = Factory.CreateClient();
        await anonymous.PostJsonAsync("/api/auth/token", new { username = name, password = Strong }, HttpStatusCode.Unauthorized);
        await http.PostJsonAsync($"/api/users/{name}/enable", null);
        using var back = await SignedInAsync(name, Strong);
        await back.GetJsonAsync("/api/venues");
    }

    [Fact]
    public async Task A_new_role_takes_effect_at_the_next_sign_in_and_the_old_token_dies()
    {
        var name = await CreateAsync("viewer", TestUsers.City);
        using var user = await SignedInAsync(name, Strong);

        var updated = await http.PutAsJsonAsync($"/api/users/{name}", new { role = "emergency-officer", region = TestUsers.Sanshui }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        await user.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
        using var again = await SignedInAsync(name, Strong);
        var me = await again.GetJsonAsync("/api/auth/me");
        Assert.Equal(("emergency-officer", TestUsers.Sanshui), ((string?)me["role"], (string?)me["region"]));
    }

    [Fact]
    public async Task Configuration_users_are_listed_but_read_only()
    {
        var configured = TestUsers.For("viewer", TestUsers.City);

        var shown = await http.GetJsonAsync($"/api/users/{configured}");
        using var update = await http.PutAsJsonAsync($"/api/users/{configured}", new { role = "admin", region = TestUsers.City }, TestContext.Current.CancellationToken);
        await http.PostJsonAsync($"/api/users/{configured}/password", new { newPassword = Strong }, HttpStatusCode.Conflict);
        await http.PostJsonAsync($"/api/users/{configured}/disable", null, HttpStatusCode.Conflict);
        await http.PostJsonAsync("/api/users", new { name = configured, password = Strong, role = "viewer", region = TestUsers.City }, HttpStatusCode.Conflict);

        Assert.Equal("configuration", (string?)shown["source"]);
        Assert.Equal(HttpStatusCode.Conflict, update.StatusCode);
    }

    [Fact]
    public async Task A_district_admin_manages_its_own_subtree_only()
    {
        using var district = await Factory.CreateClientAsAsync(TestUsers.For("admin", TestUsers.Sanshui));
        var cityUser = await CreateAsync("viewer", TestUsers.City);

        await district.PostJsonAsync("/api/users", new { name = FreshName(), password = Strong, role = "viewer", region = TestUsers.City }, HttpStatusCode.Forbidden);
        var own = await district.PostJsonAsync("/api/users", new { name = FreshName(), password = Strong, role = "viewer", region = TestUsers.Sanshui }, HttpStatusCode.Created);
        await district.GetJsonAsync($"/api/users/{cityUser}", HttpStatusCode.Forbidden);
        await district.PostJsonAsync($"/api/users/{cityUser}/disable", null, HttpStatusCode.Forbidden);
        using var move = await district.PutAsJsonAsync($"/api/users/{(string)own["name"]!}", new { role = "viewer", region = TestUsers.City }, TestContext.Current.CancellationToken);
        var listed = (await district.GetJsonAsync("/api/users")).AsArray();

        Assert.Equal(HttpStatusCode.Forbidden, move.StatusCode);
        Assert.All(listed, u => Assert.StartsWith(TestUsers.Sanshui, (string?)u!["region"]));
        Assert.Contains(listed, u => (string?)u!["name"] == (string?)own["name"]);
    }

    [Fact]
    public async Task Only_admins_reach_the_users_api()
    {
        using var chair = await Factory.CreateClientAsAsync(TestUsers.For("chair-operator", TestUsers.City));

        await chair.GetJsonAsync("/api/users", HttpStatusCode.Forbidden);
        await chair.PostJsonAsync("/api/users", new { name = FreshName(), password = Strong, role = "admin", region = TestUsers.City }, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task No_password_reaches_the_audit_trail()
    {
        var name = FreshName();
        await http.PostJsonAsync("/api/users", new { name, password = "Secret-Create-1", role = "viewer", region = TestUsers.City }, HttpStatusCode.Created);
        using var reset = await http.PostAsJsonAsync($"/api/users/{name}/password", new { newPassword = "Secret-Reset-22" }, TestContext.Current.CancellationToken);

        var total = (long)(await http.GetJsonAsync("/api/audit?count=1"))["total"]!;
        var recent = (await http.GetJsonAsync($"/api/audit?from={Math.Max(0, total - 30)}&count=30")).ToJsonString();

        Assert.Contains($"/api/users/{name}/password", recent, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret-Create-1", recent, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret-Reset-22", recent, StringComparison.Ordinal);
    }

    private static string FreshName() => "user-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<string> CreateAsync(string role, string region)
    {
        var name = FreshName();
        await http.PostJsonAsync("/api/users", new { name, password = Strong, role, region }, HttpStatusCode.Created);
        return name;
    }

    private async Task<HttpClient> SignedInAsync(string name, string password)
    {
        var client = Factory.CreateClient();
        var issued = await client.PostJsonAsync("/api/auth/token", new { username = name, password });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)issued["accessToken"]!);
        return client;
    }
}
