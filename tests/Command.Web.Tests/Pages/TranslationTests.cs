using System.Text.RegularExpressions;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Pages;

/// <summary>
/// Reads the pages and scripts as text: every key the pages use must exist in both dictionaries of
/// js/i18n.js, and the two dictionaries must hold the same keys, so neither language shows a raw key.
/// </summary>
public sealed partial class TranslationTests
{
    private static readonly string WebRoot = CommandApiFactory.RepositoryFile("src/Command.Web/wwwroot");

    [Fact]
    public void Both_languages_have_the_same_keys()
    {
        var (zh, en) = Dictionaries();

        Assert.NotEmpty(zh);
        var missing = en.Except(zh).Select(k => "missing in zh: " + k).Concat(zh.Except(en).Select(k => "missing in en: " + k)).Order().ToList();
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void Every_key_a_page_uses_is_translated_in_both_languages()
    {
        var (zh, en) = Dictionaries();
        var missing = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var (file, key) in UsedKeys())
        {
            if (!zh.Contains(key) || !en.Contains(key))
            {
                missing.Add($"{file}: {key}");
            }
        }

        foreach (var (file, prefix) in UsedKeyPrefixes())
        {
            if (!zh.Any(k => k.StartsWith(prefix, StringComparison.Ordinal)))
            {
                missing.Add($"{file}: {prefix}*");
            }
        }

        Assert.True(missing.Count == 0, "untranslated:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void The_key_scanner_finds_what_the_pages_use()
    {
        var used = UsedKeys().Select(u => u.Key).ToHashSet(StringComparer.Ordinal);

        // Guards the scanner itself: if these stop being found, the test above would pass on nothing.
        Assert.Contains("venue.join", used);
        Assert.Contains("sessions.newTitle", used);
        Assert.Contains("broadcast", used);
        Assert.Contains("venue.sessionTitle", used);
        Assert.DoesNotContain("retry-after", used);
        Assert.Contains(UsedKeyPrefixes(), p => p.Prefix == "kind.");
    }

    private static (HashSet<string> Zh, HashSet<string> En) Dictionaries()
    {
        var source = File.ReadAllText(Path.Combine(WebRoot, "js", "i18n.js"));
        return (Keys(Block(source, "zh")), Keys(Block(source, "en")));
    }

    private static string Block(string source, string language)
    {
        var start = Regex.Match(source, $@"^\s*{language}: \{{\s*$", RegexOptions.Multiline);
        Assert.True(start.Success, $"no '{language}: {{' dictionary in i18n.js");
        var end = Regex.Match(source[start.Index..], @"^\s*\},\s*$", RegexOptions.Multiline);
        Assert.True(end.Success, $"the '{language}' dictionary in i18n.js has no end");
        return source.Substring(start.Index + start.Length, end.Index - start.Length);
    }

    private static HashSet<string> Keys(string block) =>
        EntryKey().Matches(block).Select(m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["bare"].Value)
            .ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<(string File, string Key)> UsedKeys()
    {
        foreach (var page in Directory.EnumerateFiles(WebRoot, "*.html"))
        {
            foreach (Match m in HtmlKey().Matches(File.ReadAllText(page)))
            {
                yield return (Path.GetFileName(page), m.Groups["key"].Value);
            }
        }

        foreach (var script in Scripts())
        {
            foreach (Match m in ScriptKey().Matches(File.ReadAllText(script)))
            {
                yield return (Path.GetFileName(script), m.Groups["key"].Value);
            }

            foreach (Match m in MediaStateKey().Matches(File.ReadAllText(script)))
            {
                yield return (Path.GetFileName(script), "venue." + m.Groups["state"].Value);
            }
        }
    }

    private static IEnumerable<(string File, string Prefix)> UsedKeyPrefixes() =>
        Scripts().SelectMany(script => TemplateKey().Matches(File.ReadAllText(script))
            .Select(m => (Path.GetFileName(script), m.Groups["prefix"].Value)));

    private static IEnumerable<string> Scripts() =>
        Directory.EnumerateFiles(Path.Combine(WebRoot, "js"), "*.js").Where(f => Path.GetFileName(f) != "i18n.js");

    // A key starts a line or follows '{' or ','; a word followed by a colon inside a text is not a key.
    [GeneratedRegex(@"(?<=(?:^|[{,])\s*)(?:'(?<quoted>[^']+)'|(?<bare>[A-Za-z_$][\w$]*))\s*:\s*'", RegexOptions.Multiline)]
    private static partial Regex EntryKey();

    [GeneratedRegex(@"data-i18n(?:-placeholder)?=""(?<key>[^""]+)""")]
    private static partial Regex HtmlKey();

    // t('key') and the venue page's row('key', …), which passes its key to t; not get('…') or set('…').
    [GeneratedRegex(@"(?<![\w.$])(?:t|row)\('(?<key>[^']+)'")]
    private static partial Regex ScriptKey();

    // t(`kind.${…}`): only the prefix can be checked.
    [GeneratedRegex(@"(?<![\w.$])t\(`(?<prefix>[\w.-]+)\$\{")]
    private static partial Regex TemplateKey();

    // The venue page's setMedia('state') shows t(`venue.${state}`).
    [GeneratedRegex(@"setMedia\('(?<state>[\w-]+)'\)")]
    private static partial Regex MediaStateKey();
}
