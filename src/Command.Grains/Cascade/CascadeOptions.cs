using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;
using Command.Contracts;
using Command.Contracts.Cascade;

namespace Command.Grains.Cascade;

/// <summary>
/// The uplinks in the <c>Command:Cascade</c> configuration section, each <c>{Name, Registrar, Username, Password, VenueIds}</c>;
/// they are checked before the node starts and loaded into the uplinks grain, where the password is kept encrypted.
/// </summary>
public sealed class CascadeOptions
{
    public const string Section = "Command:Cascade";

    public List<UplinkSetting> Uplinks { get; set; } = [];

    /// <summary>The configured uplinks as requests; a bad one stops start-up with a <see cref="ValidationException"/> naming it.</summary>
    public ImmutableArray<UplinkRequest> Requests()
    {
        var requests = new List<UplinkRequest>();
        for (var i = 0; i < Uplinks.Count; i++)
        {
            var u = Uplinks[i];
            try
            {
                requests.Add(UplinkRules.Validate(new UplinkRequest(u.Name, u.Registrar, u.Username, u.Password) { VenueIds = [.. u.VenueIds] }));
            }
            catch (CommandException e)
            {
                throw new ValidationException($"{Section}:Uplinks:{i}: {e.Message}");
            }
        }

        if (requests.GroupBy(r => r.Name!, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ValidationException($"{Section}:Uplinks names '{twice.Key}' more than once.");
        }

        return [.. requests];
    }
}
