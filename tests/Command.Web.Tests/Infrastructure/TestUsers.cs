using Microsoft.AspNetCore.Identity;

namespace Command.Web.Tests.Infrastructure;

/// <summary>
/// The users every API test signs in as: an admin for the whole province, and each role twice,
/// once for the city (佛山市, 440600) and once for one district (三水区, 440607).
/// </summary>
public static class TestUsers
{
    public const string Admin = "root-admin";
    public const string City = "440600";
    public const string Sanshui = "440607";

    /// <summary>南海区: a district with no backup venue of its own in the sample.</summary>
    public const string Nanhai = "440605";

    /// <summary>Only the lock-out test signs in as this user, so locking it out touches no other test.</summary>
    public const string LockoutVictim = "lockout-victim";

    public static readonly string[] Roles = ["admin", "chair-operator", "emergency-officer", "meeting-operator", "viewer"];

    public static IReadOnlyList<TestUser> All { get; } = Build();

    public static string For(string role, string region) => $"{role}@{region}";

    public static string PasswordOf(string user) => "pw-" + user;

    private static List<TestUser> Build()
    {
        var hasher = new PasswordHasher<object>();
        var users = new List<TestUser>
        {
            new(Admin, hasher.HashPassword(null!, PasswordOf(Admin)), "admin", "440000"),
            new(LockoutVictim, hasher.HashPassword(null!, PasswordOf(LockoutVictim)), "viewer", Sanshui),
            new(For("chair-operator", Nanhai), hasher.HashPassword(null!, PasswordOf(For("chair-operator", Nanhai))), "chair-operator", Nanhai),
        };
        foreach (var role in Roles)
        {
            foreach (var region in new[] { City, Sanshui })
            {
                var name = For(role, region);
                users.Add(new TestUser(name, hasher.HashPassword(null!, PasswordOf(name)), role, region));
            }
        }

        return users;
    }
}
