using System.Net;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Hosting;

[Collection(ApiCollection.Name)]
public sealed class UnknownPathTests(CommandApiFactory factory)
{
    [Theory]
    [InlineData("/api/no-such-thing")]
    [InlineData("/api/sessions/x/no-such-action")]
    [InlineData("/no-such-page.html")]
    public async Task An_unknown_path_is_404_problem_details_even_without_sign_in(string path)
    {
        using var anonymous = factory.CreateClient();

        using var response = await anonymous.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_api_path_is_404_when_signed_in_too()
    {
        using var admin = await factory.CreateClientAsAsync(TestUsers.Admin);

        using var response = await admin.GetAsync("/api/no-such-thing", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/sessions/x")]
    [InlineData("/api/venues")]
    public async Task A_known_protected_endpoint_is_still_401_without_sign_in(string path)
    {
        using var anonymous = factory.CreateClient();

        using var response = await anonymous.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
