using System.Net;
using System.Net.Http.Json;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Auth;

[Collection(ApiCollection.Name)]
public sealed class SignInTests(CommandApiFactory factory)
{
    [Fact]
    public async Task An_unknown_user_and_a_wrong_password_get_the_same_answer()
    {
        using var http = factory.CreateClient();

        var unknown = await http.PostJsonAsync("/api/auth/token", new { username = "nobody-" + Guid.NewGuid(), password = "x" }, HttpStatusCode.Unauthorized);
        var wrong = await http.PostJsonAsync("/api/auth/token", new { username = TestUsers.For("viewer", TestUsers.City), password = "x" }, HttpStatusCode.Unauthorized);

        Assert.Equal((string?)unknown["detail"], (string?)wrong["detail"]);
        Assert.Equal((string?)unknown["title"], (string?)wrong["title"]);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_name_out_even_for_the_right_password()
    {
        using var http = factory.CreateClient();
        var user = TestUsers.LockoutVictim;
        for (var i = 0; i < 2; i++)
        {
            await http.PostJsonAsync("/api/auth/token", new { username = user, password = "guess" + i }, HttpStatusCode.Unauthorized);
        }

        await http.PostJsonAsync("/api/auth/token", new { username = user, password = "guess-last" }, HttpStatusCode.TooManyRequests);
        using var right = await http.PostAsJsonAsync("/api/auth/token", new { username = user, password = TestUsers.PasswordOf(user) }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.True(right.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Failures_from_one_address_lock_the_name_out_there_only()
    {
        using var attacker = factory.CreateClient();
        attacker.DefaultRequestHeaders.Add(TestClientAddress.Header, "198.51.100.7");
        using var operatorDesk = factory.CreateClient();
        operatorDesk.DefaultRequestHeaders.Add(TestClientAddress.Header, "198.51.100.8");
        var user = TestUsers.For("chair-operator", TestUsers.City);

        for (var i = 0; i < 2; i++)
        {
            await attacker.PostJsonAsync("/api/auth/token", new { username = user, password = "guess" + i }, HttpStatusCode.Unauthorized);
        }

        await attacker.PostJsonAsync("/api/auth/token", new { username = user, password = "guess-last" }, HttpStatusCode.TooManyRequests);
        await attacker.PostJsonAsync("/api/auth/token", new { username = user, password = TestUsers.PasswordOf(user) }, HttpStatusCode.TooManyRequests);
        var issued = await operatorDesk.PostJsonAsync("/api/auth/token", new { username = user, password = TestUsers.PasswordOf(user) });

        Assert.False(string.IsNullOrEmpty((string?)issued["accessToken"]));
    }

    [Fact]
    public async Task One_address_spraying_many_names_is_rate_limited_with_problem_details()
    {
        using var sprayer = factory.CreateClient();
        sprayer.DefaultRequestHeaders.Add(TestClientAddress.Header, "203.0.113.66");

        for (var i = 0; i < 6; i++)
        {
            await sprayer.PostJsonAsync("/api/auth/token", new { username = $"spray-{i}-{Guid.NewGuid():N}", password = "Winter2024!" }, HttpStatusCode.Unauthorized);
        }

        using var refused = await sprayer.PostAsJsonAsync("/api/auth/token", new { username = "spray-last", password = "Winter2024!" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        using var elsewhere = factory.CreateClient();
        elsewhere.DefaultRequestHeaders.Add(TestClientAddress.Header, "203.0.113.67");
        await elsewhere.PostJsonAsync("/api/auth/token", new { username = "spray-other", password = "x" }, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_cookie_sign_in_serves_the_api_and_sign_out_ends_it()
    {
        using var http = factory.CreateClient(new() { HandleCookies = true });
        var user = TestUsers.For("chair-operator", TestUsers.City);

        var me = await http.PostJsonAsync("/api/auth/login", new { username = user, password = TestUsers.PasswordOf(user) });
        Assert.Equal("chair-operator", (string?)me["role"]);
        Assert.Equal("440600", (string?)me["region"]);
        Assert.Equal(user, (string?)(await http.GetJsonAsync("/api/auth/me"))["name"]);

        await http.PostAsync("/api/auth/logout", null, TestContext.Current.CancellationToken);
        await http.GetJsonAsync("/api/auth/me", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_session_list_shows_a_session_only_to_users_whose_region_holds_one_of_its_venues()
    {
        using var admin = await factory.CreateClientAsAsync(TestUsers.Admin);
        var created = await admin.PostJsonAsync("/api/sessions", new { title = "列表范围", kind = "meeting", chairVenueId = "fs-chancheng-nanzhuang" }, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        using var city = await factory.CreateClientAsAsync(TestUsers.For("viewer", TestUsers.City));
        using var sanshui = await factory.CreateClientAsAsync(TestUsers.For("viewer", TestUsers.Sanshui));

        Assert.Contains((await city.GetJsonAsync("/api/sessions")).AsArray(), s => (string?)s!["id"] == id);
        Assert.DoesNotContain((await sanshui.GetJsonAsync("/api/sessions")).AsArray(), s => (string?)s!["id"] == id);

        await admin.PostJsonAsync($"/api/sessions/{id}/venues", new { venueId = "fs-sanshui-lubao" });
        Assert.Contains((await sanshui.GetJsonAsync("/api/sessions")).AsArray(), s => (string?)s!["id"] == id);
        await admin.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_district_user_sees_only_its_own_subtree()
    {
        using var http = await factory.CreateClientAsAsync(TestUsers.For("viewer", TestUsers.Sanshui));

        var tree = await http.GetJsonAsync("/api/regions");
        var venues = (await http.GetJsonAsync("/api/venues")).AsArray();

        Assert.Equal("440607", (string?)tree["code"]);
        Assert.All(venues, v => Assert.StartsWith("440607", (string?)v!["regionCode"]));
        Assert.NotEmpty(venues);
    }
}
