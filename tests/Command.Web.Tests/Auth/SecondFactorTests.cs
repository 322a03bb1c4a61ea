using System.Net;
using System.Net.Http.Json;
using Command.Web.Auth;
using Command.Web.Regions;
using Command.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Command.Web.Tests.Auth;

[Collection(ApiCollection.Name)]
public sealed class SecondFactorTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    private const string Password = "Second-Factor-7";

    [Fact]
    public async Task A_user_with_a_second_factor_needs_a_code_and_a_code_is_good_once()
    {
        var (name, secret) = await EnrolledUserAsync("chair-operator");
        using var anonymous = Factory.CreateClient();

        var needed = await anonymous.PostJsonAsync("/api/auth/token", new { username = name, password = Password }, HttpStatusCode.Unauthorized);
        Assert.Equal(SecondFactorRequiredException.ProblemType, (string?)needed["type"]);
        Assert.Equal(true, (bool?)needed["codeRequired"]);

        var code = CodeNow(secret);
        var issued = await anonymous.PostJsonAsync("/api/auth/token", new { username = name, password = Password, code });
        Assert.False(string.IsNullOrEmpty((string?)issued["accessToken"]));

        var replay = await anonymous.PostJsonAsync("/api/auth/token", new { username = name, password = Password, code }, HttpStatusCode.Unauthorized);
        Assert.Null(replay["codeRequired"]);
    }

    [Fact]
    public async Task The_dashboard_sign_in_asks_for_the_code_too()
    {
        var (name, secret) = await EnrolledUserAsync("viewer");
        using var browser = Factory.CreateClient(new() { HandleCookies = true });

        var needed = await browser.PostJsonAsync("/api/auth/login", new { username = name, password = Password }, HttpStatusCode.Unauthorized);
        await browser.PostJsonAsync("/api/auth/login", new { username = name, password = Password, code = "000000" == CodeNow(secret) ? "111111" : "000000" }, HttpStatusCode.Unauthorized);
        await browser.PostJsonAsync("/api/auth/login", new { username = name, password = Password, code = CodeNow(secret) });

        Assert.Equal(SecondFactorRequiredException.ProblemType, (string?)needed["type"]);
        Assert.Equal(name, (string?)(await browser.GetJsonAsync("/api/auth/me"))["name"]);
    }

    [Fact]
    public async Task A_wrong_password_never_reveals_that_a_code_is_needed()
    {
        var (name, _) = await EnrolledUserAsync("viewer");
        using var anonymous = Factory.CreateClient();

        var refused = await anonymous.PostJsonAsync("/api/auth/token", new { username = name, password = "wrong-" + Password }, HttpStatusCode.Unauthorized);

        Assert.Equal(SignInService.Refused, (string?)refused["detail"]);
    }

    [Fact]
    public async Task The_enrolment_answer_is_an_otpauth_uri_holding_the_secret_and_the_secret_is_never_shown_again()
    {
        var name = await CreateAsync("viewer");

        var enrolment = await http.PostJsonAsync($"/api/users/{name}/totp", null);

        var uri = new Uri((string)enrolment["uri"]!);
        Assert.Equal("otpauth", uri.Scheme);
        Assert.Contains($"secret={(string)enrolment["secret"]!}", uri.Query, StringComparison.Ordinal);
        Assert.Contains("period=30", uri.Query, StringComparison.Ordinal);
        var shown = await http.GetJsonAsync($"/api/users/{name}");
        Assert.Equal(true, (bool?)shown["secondFactor"]);
        Assert.DoesNotContain((string)enrolment["secret"]!, shown.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_admins_must_have_two_factors_an_admin_without_one_cannot_sign_in_and_one_with_one_can()
    {
        var plain = await CreateAsync("admin");
        var (enrolled, secret) = await EnrolledUserAsync("admin");
        var services = Factory.Services;
        var strict = new SignInService(
            services.GetRequiredService<UserStore>(),
            services.GetRequiredService<IGrainFactory>(),
            services.GetRequiredService<RegionCache>(),
            Options.Create(new AuthOptions { RequireTotpForAdmins = true }),
            TimeProvider.System);

        var refused = await Assert.ThrowsAsync<SignInRefusedException>(() => strict.SignInAsync(plain, Password, null, "test", null));
        var identity = await strict.SignInAsync(enrolled, Password, CodeNow(secret), "test", null);
        var lenient = await services.GetRequiredService<SignInService>().SignInAsync(plain, Password, null, "test", null);

        Assert.Equal(SignInService.AdminNeedsSecondFactor, refused.Message);
        Assert.Equal(enrolled, identity.Name);
        Assert.Equal(plain, lenient.Name);
    }

    private static string CodeNow(string secret)
    {
        Assert.True(Base32.TryDecode(secret, out var key));
        return Totp.Code(key, Totp.StepAt(DateTimeOffset.UtcNow));
    }

    private async Task<string> CreateAsync(string role)
    {
        var name = "totp-" + Guid.NewGuid().ToString("N")[..10];
        await http.PostJsonAsync("/api/users", new { name, password = Password, role, region = TestUsers.City }, HttpStatusCode.Created);
        return name;
    }

    private async Task<(string Name, string Secret)> EnrolledUserAsync(string role)
    {
        var name = await CreateAsync(role);
        var enrolment = await http.PostJsonAsync($"/api/users/{name}/totp", null);
        return (name, (string)enrolment["secret"]!);
    }
}
