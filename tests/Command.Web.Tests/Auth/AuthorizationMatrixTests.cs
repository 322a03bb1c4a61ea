using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Auth;

/// <summary>
/// Every endpoint × every role × a user whose region covers the target (佛山市) and one whose
/// region does not (三水区), plus an anonymous caller: 2xx, 401 or 403 as the table says.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    private const string Anonymous = "anonymous";

    private static readonly string[] Everyone = TestUsers.Roles;
    private static readonly string[] Floor = ["admin", "chair-operator"];
    private static readonly string[] Emergency = ["admin", "chair-operator", "emergency-officer"];
    private static readonly string[] Meeting = ["admin", "chair-operator", "meeting-operator"];
    private static readonly string[] Officers = ["admin", "emergency-officer"];
    private static readonly string[] Bookers = ["admin", "meeting-operator"];
    private static readonly string[] Admins = ["admin"];

    public static readonly IReadOnlyList<MatrixEndpoint> Table =
    [
        new("regions", "GET", "/api/regions", null, Everyone, Scoped: false),
        new("region", "GET", "/api/regions/440604", null, Everyone, Scoped: true),
        new("venues-in-region", "GET", "/api/venues?region=440604", null, Everyone, Scoped: true),
        new("venue", "GET", "/api/venues/fs-chancheng", null, Everyone, Scoped: true),
        new("feeds", "GET", "/api/feeds", null, Everyone, Scoped: false),
        new("feed", "GET", "/api/feeds/cam-police-zumiao-01", null, Everyone, Scoped: true),
        new("feed-create", "POST", "/api/feeds", _ => new { name = "矩阵摄像头", url = "rtsp://127.0.0.1:8554/m", owner = "公安局", regionCode = "440604" }, Officers, Scoped: true, 201),
        new("sessions", "GET", "/api/sessions", null, Everyone, Scoped: false),
        new("session", "GET", "/api/sessions/{session}", null, Everyone, Scoped: true),
        new("session-timeline", "GET", "/api/sessions/{session}/timeline", null, Everyone, Scoped: true),
        new("session-create-emergency", "POST", "/api/sessions", _ => new { title = "m", kind = "emergency", chairVenueId = MatrixTargets.Township }, Emergency, Scoped: true, 201),
        new("session-create-meeting", "POST", "/api/sessions", _ => new { title = "m", kind = "meeting", chairVenueId = MatrixTargets.Township }, Meeting, Scoped: true, 201),
        new("start-meeting", "POST", "/api/sessions/{scheduled}/start", null, Meeting, Scoped: true),
        new("end-emergency", "POST", "/api/sessions/{session}/end", null, Emergency, Scoped: true),
        new("broadcast", "POST", "/api/sessions/{session}/broadcast", _ => new { venueId = "fs-chancheng-zumiao" }, Floor, Scoped: true),
        new("view", "POST", "/api/sessions/{session}/view", _ => new { venueId = "fs-chancheng", targetVenueId = "fs-chancheng-zumiao" }, Floor, Scoped: true),
        new("rollcall", "POST", "/api/sessions/{session}/rollcall", _ => new { venueId = "fs-chancheng-nanzhuang" }, Floor, Scoped: true),
        new("mute", "POST", "/api/sessions/{session}/mute", _ => new { muted = true }, Floor, Scoped: true),
        new("poll", "POST", "/api/sessions/{session}/poll", _ => new { venueIds = new[] { "fs-chancheng-zumiao", "fs-chancheng-nanzhuang" }, intervalSeconds = 60 }, Floor, Scoped: true),
        new("poll-stop", "POST", "/api/sessions/{session}/poll/stop", null, Floor, Scoped: true),
        new("lock", "POST", "/api/sessions/{session}/lock", _ => new { locked = true }, Floor, Scoped: true),
        new("backup", "POST", "/api/sessions/{session}/backup", _ => new { failedVenueId = "fs-chancheng-zumiao" }, Floor, Scoped: true),
        new("add-venue", "POST", "/api/sessions/{session}/venues", _ => new { venueId = MatrixTargets.Township }, Floor, Scoped: true),
        new("remove-venue", "DELETE", "/api/sessions/{session}/venues/fs-chancheng-nanzhuang", null, Floor, Scoped: true),
        new("checkin", "POST", "/api/sessions/{session}/checkin", _ => new { venueId = "fs-chancheng-zumiao" }, Meeting, Scoped: true),
        new("session-feed", "POST", "/api/sessions/{session}/feeds", _ => new { feedId = "cam-police-zumiao-01" }, Emergency, Scoped: true),
        new("incident-create", "POST", "/api/incidents", _ => new { title = "m", type = "fire", severity = 4, regionCode = "440604" }, Officers, Scoped: true, 201),
        new("incidents", "GET", "/api/incidents", null, Everyone, Scoped: false),
        new("incident", "GET", "/api/incidents/{incident}", null, Everyone, Scoped: true),
        new("escalate", "POST", "/api/incidents/{incident}/escalate", null, Officers, Scoped: true),
        new("incident-status", "POST", "/api/incidents/{incident}/status", _ => new { status = "responding" }, Officers, Scoped: true),
        new("incident-feed", "POST", "/api/incidents/{incident}/feeds", _ => new { feedId = "cam-police-zumiao-01" }, Officers, Scoped: true),
        new("book", "POST", "/api/schedules", _ => MatrixTargets.BookingBody(), Bookers, Scoped: true, 201),
        new("bookings", "GET", "/api/schedules", null, Everyone, Scoped: false),
        new("booking", "GET", "/api/schedules/{booking}", null, Everyone, Scoped: true),
        new("cancel-booking", "POST", "/api/schedules/{booking}/cancel", null, Bookers, Scoped: true),
        new("audit", "GET", "/api/audit", null, Admins, Scoped: false),
        new("audit-verify", "GET", "/api/audit/verify", null, Admins, Scoped: false),
        new("me", "GET", "/api/auth/me", null, Everyone, Scoped: false),
        new("uplinks", "GET", "/api/cascade/uplinks", null, Everyone, Scoped: false),
        new("uplink-create", "POST", "/api/cascade/uplinks", _ => new { name = "矩阵上联-" + Guid.NewGuid().ToString("N"), registrar = "sip:127.0.0.1:9", username = "1000", password = "pw" }, Admins, Scoped: false, 201),
    ];

    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        foreach (var endpoint in Table)
        {
            rows.Add(endpoint.Name, Anonymous);
            foreach (var role in TestUsers.Roles)
            {
                rows.Add(endpoint.Name, TestUsers.For(role, TestUsers.City));
                rows.Add(endpoint.Name, TestUsers.For(role, TestUsers.Sanshui));
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_role_and_region_gets_what_the_table_says(string endpointName, string user)
    {
        var endpoint = Table.Single(e => e.Name == endpointName);
        var expected = Expected(endpoint, user);
        var targets = new MatrixTargets(http);
        try
        {
            var path = await targets.ExpandAsync(endpoint.Path);
            using var caller = user == Anonymous ? Factory.CreateClient() : await Factory.CreateClientAsAsync(user);
            using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path);
            if (endpoint.Body?.Invoke(targets) is { } body)
            {
                request.Content = JsonContent.Create(body);
            }

            using var response = await caller.SendAsync(request, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            TrackCreated(targets, endpoint, response, text);

            Assert.True((int)response.StatusCode == expected, $"{endpoint.Method} {path} as {user}: expected {expected}, got {(int)response.StatusCode} {text}");
        }
        finally
        {
            await targets.CleanUpAsync();
        }
    }

    [Fact]
    public void The_table_covers_every_api_route()
    {
        var rows = Rows().Count;

        Assert.Equal(Table.Count * ((TestUsers.Roles.Length * 2) + 1), rows);
        TestContext.Current.TestOutputHelper?.WriteLine($"{Table.Count} endpoints, {rows} rows");
    }

    private static int Expected(MatrixEndpoint endpoint, string user)
    {
        if (user == Anonymous)
        {
            return 401;
        }

        var role = user[..user.IndexOf('@', StringComparison.Ordinal)];
        var region = user[(user.IndexOf('@', StringComparison.Ordinal) + 1)..];
        if (!endpoint.Roles.Contains(role))
        {
            return 403;
        }

        return endpoint.Scoped && region != TestUsers.City ? 403 : endpoint.Success;
    }

    private static void TrackCreated(MatrixTargets targets, MatrixEndpoint endpoint, HttpResponseMessage response, string text)
    {
        if (response.StatusCode != HttpStatusCode.Created || JsonNode.Parse(text)?["id"]?.GetValue<string>() is not { } id)
        {
            return;
        }

        if (endpoint.Path == "/api/sessions")
        {
            targets.EndSessionLater(id);
        }
        else if (endpoint.Path == "/api/schedules")
        {
            targets.CancelBookingLater(id);
        }
    }
}
