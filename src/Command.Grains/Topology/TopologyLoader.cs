using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Command.Contracts;
using Command.Contracts.Feeds;
using Command.Contracts.Regions;
using Command.Contracts.Topology;
using Command.Contracts.Venues;
using Command.Grains.Feeds;

namespace Command.Grains.Topology;

/// <summary>
/// Reads and checks a topology file. Every rule that would break the live model later
/// (dangling references, duplicate ids, a level out of order) is refused here, by name.
/// </summary>
public static partial class TopologyLoader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static TopologyDocument LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new TopologyException($"Topology file '{path}' does not exist.");
        }

        using var stream = File.OpenRead(path);
        return Parse(stream, Path.GetFileName(path));
    }

    public static TopologyDocument Parse(Stream json, string name)
    {
        TopologyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<TopologyFile>(json, Json);
        }
        catch (JsonException e)
        {
            throw new TopologyException($"Topology {name} is not valid: {e.Message}", e);
        }

        if (file is null)
        {
            throw new TopologyException($"Topology {name} is empty.");
        }

        try
        {
            return Validate(file);
        }
        catch (CommandException e)
        {
            throw new TopologyException($"Topology {name}: {e.Message}", e);
        }
    }

    private static TopologyDocument Validate(TopologyFile file)
    {
        var sipDomain = Required(file.SipDomain, "sipDomain");
        var regions = ValidateRegions(file.Regions ?? []);
        var venues = ValidateVenues(file.Venues ?? [], regions);
        foreach (var r in regions.Where(r => r.CommandVenueId is not null))
        {
            if (!venues.Any(v => v.Id == r.CommandVenueId))
            {
                throw Bad($"region {r.Code} ({r.Name}): commandVenueId '{r.CommandVenueId}' is not a venue in the file.");
            }
        }

        var hierarchy = new RegionHierarchy(regions);
        foreach (var r in regions.Where(r => r.BackupVenueId is not null))
        {
            var backup = venues.FirstOrDefault(v => v.Id == r.BackupVenueId)
                ?? throw Bad($"region {r.Code} ({r.Name}): backupVenueId '{r.BackupVenueId}' is not a venue in the file.");
            if (backup.Kind != VenueKind.Backup || !hierarchy.IsWithin(backup.RegionCode, r.Code))
            {
                throw Bad($"region {r.Code} ({r.Name}): backupVenueId '{r.BackupVenueId}' must be a venue of kind backup within the region.");
            }
        }

        var feeds = ValidateFeeds(file.Feeds ?? [], regions);
        return new TopologyDocument(sipDomain, regions, venues, feeds);
    }

    private static ImmutableArray<RegionInfo> ValidateRegions(List<TopologyFile.RegionEntry> entries)
    {
        if (entries.Count == 0)
        {
            throw Bad("regions must list at least one region.");
        }

        var result = new List<RegionInfo>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var at = $"regions[{i}]";
            var code = Required(e.Code, at + ".code");
            if (!DivisionCode().IsMatch(code))
            {
                throw Bad($"{at}.code '{code}' is not a 6- or 9-digit division code.");
            }

            if (result.Any(r => r.Code == code))
            {
                throw Bad($"{at}.code '{code}' appears twice.");
            }

            var level = ParseEnum<RegionLevel>(e.Level, $"{at}.level", "province, city, district or township");
            result.Add(new RegionInfo(code, Required(e.Name, at + ".name"), level, Blank(e.ParentCode), Blank(e.CommandVenueId), Blank(e.BackupVenueId)));
        }

        var roots = result.Where(r => r.ParentCode is null).ToList();
        if (roots.Count != 1)
        {
            throw Bad($"exactly one region must have no parentCode; found {roots.Count}.");
        }

        foreach (var r in result.Where(r => r.ParentCode is not null))
        {
            var parent = result.Find(p => p.Code == r.ParentCode)
                ?? throw Bad($"region {r.Code} ({r.Name}): parentCode '{r.ParentCode}' is not a region in the file.");
            if (r.Level != parent.Level + 1)
            {
                throw Bad($"region {r.Code} ({r.Name}) is a {Kebab(r.Level)} under {Kebab(parent.Level)} {parent.Code}; each level must sit directly under the one above.");
            }
        }

        return [.. result];
    }

    private static ImmutableArray<VenueDefinition> ValidateVenues(List<TopologyFile.VenueEntry> entries, ImmutableArray<RegionInfo> regions)
    {
        var result = new List<VenueDefinition>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var at = $"venues[{i}]";
            var id = Required(e.Id, at + ".id");
            if (!Identifier().IsMatch(id))
            {
                throw Bad($"{at}.id '{id}' must be lower-case letters, digits and dashes.");
            }

            if (result.Any(v => v.Id == id))
            {
                throw Bad($"{at}.id '{id}' appears twice.");
            }

            var region = Required(e.RegionCode, at + ".regionCode");
            if (!regions.Any(r => r.Code == region))
            {
                throw Bad($"venue {id}: regionCode '{region}' is not a region in the file.");
            }

            var sipUser = Required(e.SipUser, at + ".sipUser");
            if (!SipUser().IsMatch(sipUser) || result.Any(v => v.SipUser == sipUser))
            {
                throw Bad($"venue {id}: sipUser '{sipUser}' must be unique letters, digits, dots or dashes.");
            }

            var password = Required(e.SipPassword, at + ".sipPassword");
            if (password.Length < 8)
            {
                throw Bad($"venue {id}: sipPassword must be at least 8 characters.");
            }

            var kind = ParseEnum<VenueKind>(e.Kind, $"{at}.kind", "command, branch, backup, mobile or desktop");
            var digest = Blank(e.SipDigest);
            if (digest is not null && digest.Split(',').Any(a => a.Trim().ToUpperInvariant() is not ("SHA-256" or "MD5")))
            {
                throw Bad($"venue {id}: sipDigest '{digest}' must list SHA-256 and/or MD5.");
            }

            result.Add(new VenueDefinition(id, Required(e.Name, at + ".name"), region, kind, sipUser, password, digest));
        }

        return [.. result];
    }

    private static ImmutableArray<FeedInfo> ValidateFeeds(List<TopologyFile.FeedEntry> entries, ImmutableArray<RegionInfo> regions)
    {
        var result = new List<FeedInfo>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var at = $"feeds[{i}]";
            var id = Required(e.Id, at + ".id");
            if (!Identifier().IsMatch(id) || result.Any(f => f.Id == id))
            {
                throw Bad($"{at}.id '{id}' must be unique lower-case letters, digits and dashes.");
            }

            var region = Required(e.RegionCode, at + ".regionCode");
            if (!regions.Any(r => r.Code == region))
            {
                throw Bad($"feed {id}: regionCode '{region}' is not a region in the file.");
            }

            FeedRules.Validate(e.Name, e.Url, e.Owner);
            result.Add(new FeedInfo(id, e.Name!.Trim(), e.Url!.Trim(), e.Owner!.Trim(), region));
        }

        return [.. result];
    }

    private static T ParseEnum<T>(string? value, string at, string allowed)
        where T : struct, Enum
    {
        var text = Required(value, at);
        if (!Enum.TryParse<T>(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var parsed)
            || !Enum.IsDefined(parsed) || text.Any(char.IsDigit))
        {
            throw Bad($"{at} '{text}' must be one of {allowed}.");
        }

        return parsed;
    }

    private static string Required(string? value, string at) =>
        string.IsNullOrWhiteSpace(value) ? throw Bad($"{at} is required.") : value.Trim();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Kebab(RegionLevel level) => level.ToString().ToLowerInvariant();

    private static CommandException Bad(string message) => CommandException.Invalid(message);

    [GeneratedRegex("^[0-9]{6}([0-9]{3})?$")]
    private static partial Regex DivisionCode();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex Identifier();

    [GeneratedRegex("^[A-Za-z0-9.\\-]{1,64}$")]
    private static partial Regex SipUser();
}
