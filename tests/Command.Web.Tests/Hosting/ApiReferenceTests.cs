using System.Net;
using System.Text.RegularExpressions;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Hosting;

/// <summary>Outside Development the API reference is for signed-in admins only, and it loads nothing from the internet.</summary>
[Collection(ApiCollection.Name)]
public sealed partial class ApiReferenceTests(CommandApiFactory factory)
{
    [Fact]
    public async Task Anonymous_callers_get_401()
    {
        using var anonymous = factory.CreateClient();

        using var response = await anonymous.GetAsync("/scalar", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_in_operator_who_is_not_admin_gets_403()
    {
        using var chair = await factory.CreateClientAsAsync(TestUsers.For("chair-operator", TestUsers.City));

        using var response = await chair.GetAsync("/scalar", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_admin_gets_the_page_and_everything_it_loads_comes_from_the_node()
    {
        using var admin = await factory.CreateClientAsAsync(TestUsers.Admin);

        // The page itself is /scalar/ (/scalar redirects there, and a redirect would drop the bearer token).
        using var response = await admin.GetAsync("/scalar/", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri} {response.Headers} {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", html);
        var external = AbsoluteUrl().Matches(html).Select(m => m.Value).ToList();
        Assert.True(external.Count == 0, "the page points outside the node: " + string.Join(", ", external));
        var compact = html.Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("\"withDefaultFonts\":false", compact);
        Assert.Contains("\"telemetry\":false", compact);
        Assert.DoesNotContain("proxy", compact, StringComparison.OrdinalIgnoreCase);

        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            using var asset = await admin.GetAsync(new Uri(response.RequestMessage!.RequestUri!, script), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        }
    }

    [GeneratedRegex("""(?:src|href)\s*=\s*["']?(?:https?:)?//[^"'\s>]+""", RegexOptions.IgnoreCase)]
    private static partial Regex AbsoluteUrl();

    [GeneratedRegex("""<script[^>]*\ssrc\s*=\s*["']([^"']+)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();
}
