using System.Text.RegularExpressions;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Pages;

/// <summary>The pages must work on a network without internet, and the build must not need npm.</summary>
public sealed partial class OfflineAssetsTests
{
    private static readonly string WebRoot = CommandApiFactory.RepositoryFile("src/Command.Web/wwwroot");

    [Fact]
    public void Every_script_and_stylesheet_a_page_loads_is_a_committed_file_on_this_site()
    {
        var pages = Directory.EnumerateFiles(WebRoot, "*.html").ToList();
        var references = pages.SelectMany(p => Reference().Matches(File.ReadAllText(p)).Select(m => (Page: Path.GetFileName(p), Url: m.Groups["url"].Value))).ToList();

        Assert.Contains(references, r => r.Url == "/lib/signalr/signalr.min.js");
        Assert.All(references, r => Assert.True(r.Url.StartsWith('/') && !r.Url.StartsWith("//", StringComparison.Ordinal), $"{r.Page} loads {r.Url} from elsewhere"));
        Assert.All(references, r => Assert.True(File.Exists(Path.Combine(WebRoot, r.Url.TrimStart('/'))), $"{r.Page} loads {r.Url}, which is not in wwwroot"));
    }

    [Fact]
    public void Each_library_is_listed_with_its_version_and_licence()
    {
        var notice = File.ReadAllText(Path.Combine(WebRoot, "lib", "README.md"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(WebRoot, "lib"), "*.js", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Path.Combine(WebRoot, "lib"), file).Replace('\\', '/');
            Assert.Contains($"`{relative}`", notice, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_web_project_builds_without_npm()
    {
        var project = File.ReadAllText(CommandApiFactory.RepositoryFile("src/Command.Web/Command.Web.csproj"));

        Assert.DoesNotContain("node_modules", project, StringComparison.Ordinal);
        Assert.DoesNotContain("<Exec", project, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<(?:script|link)\b[^>]*?\b(?:src|href)=""(?<url>[^""]+)""")]
    private static partial Regex Reference();
}
