using System.Net;
using System.Text.Json.Nodes;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Apis;

[Collection(ApiCollection.Name)]
public sealed class AutoBackupAndClosingApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    [Fact]
    public async Task Auto_backup_defaults_by_kind_and_is_taken_at_creation()
    {
        var emergency = await CreateAsync(new { title = "自动备用默认", kind = "emergency", chairVenueId = "fs-nanhai-dali" });
        var meeting = await CreateAsync(new { title = "例会", kind = "meeting", chairVenueId = "fs-nanhai-jiujiang" });
        var chosen = await CreateAsync(new
        {
            title = "自定义", kind = "meeting", chairVenueId = "fs-shunde-daliang", autoBackup = new { enabled = true, afterSeconds = 30 },
        });
        try
        {
            AssertSetting(emergency, true, 10);
            AssertSetting(meeting, false, 10);
            AssertSetting(chosen, true, 30);
            AssertSetting(await http.GetJsonAsync($"/api/sessions/{chosen["id"]}"), true, 30);
        }
        finally
        {
            await EndAsync(emergency, meeting, chosen);
        }
    }

    [Theory]
    [InlineData("""{"title":"t","kind":"emergency","chairVenueId":"fs-nanhai-dali","autoBackup":{"enabled":true,"afterSeconds":0}}""", "afterSeconds")]
    [InlineData("""{"title":"t","kind":"emergency","chairVenueId":"fs-nanhai-dali","autoBackup":{"enabled":true,"after":5}}""", "after")]
    public async Task A_bad_auto_backup_at_creation_is_a_400_and_creates_nothing(string body, string expected)
    {
        var before = (await http.GetJsonAsync("/api/sessions")).AsArray().Count;

        var problem = await http.PostRawAsync("/api/sessions", body, HttpStatusCode.BadRequest);

        Assert.Contains(expected, (string?)problem["detail"]);
        Assert.Equal(before, (await http.GetJsonAsync("/api/sessions")).AsArray().Count);
    }

    [Fact]
    public async Task The_chair_changes_auto_backup_and_bad_input_changes_nothing()
    {
        var session = await CreateAsync(new { title = "调整自动备用", kind = "emergency", chairVenueId = "fs-nanhai-dali", autoBackup = new { enabled = false } });
        var id = (string)session["id"]!;
        try
        {
            var on = await http.PostJsonAsync($"/api/sessions/{id}/autobackup", new { enabled = true, afterSeconds = 25 });
            AssertSetting(on, true, 25);
            var off = await http.PostJsonAsync($"/api/sessions/{id}/autobackup", new { enabled = false });
            AssertSetting(off, false, 25);

            var missing = await http.PostJsonAsync($"/api/sessions/{id}/autobackup", new { afterSeconds = 5 }, HttpStatusCode.BadRequest);
            var tooLong = await http.PostJsonAsync($"/api/sessions/{id}/autobackup", new { enabled = true, afterSeconds = 99999 }, HttpStatusCode.BadRequest);
            await http.PostJsonAsync("/api/sessions/s-none/autobackup", new { enabled = true }, HttpStatusCode.NotFound);

            Assert.Contains("enabled", (string?)missing["detail"]);
            Assert.Contains("afterSeconds", (string?)tooLong["detail"]);
            var after = await http.GetJsonAsync($"/api/sessions/{id}");
            AssertSetting(after, false, 25);
            Assert.Equal((long)off["version"]!, (long)after["version"]!);
            Assert.Contains((await http.GetJsonAsync($"/api/sessions/{id}/timeline")).AsArray(), e => (string?)e!["action"] == "auto-backup-set");
        }
        finally
        {
            await EndAsync(session);
        }
    }

    [Fact]
    public async Task The_bridge_reports_an_unregistered_venue_and_the_backup_takes_over_by_itself()
    {
        var session = await CreateAsync(new
        {
            title = "自动接替", kind = "emergency", chairVenueId = "fs-sanshui", venueIds = new[] { "fs-sanshui-xinan" },
            autoBackup = new { enabled = true, afterSeconds = 1 },
        });
        var id = (string)session["id"]!;
        try
        {
            var taken = await Until(
                () => http.GetJsonAsync($"/api/sessions/{id}"),
                s => s["venues"]!.AsArray().Any(v => (string?)v!["venueId"] == "fs-sanshui-backup" && (string?)v["status"] == "joined"));

            var replaced = taken["venues"]!.AsArray().Single(v => (string?)v!["status"] == "replaced")!;
            Assert.Equal("fs-sanshui-backup", (string?)replaced["replacedBy"]);
            Assert.Equal(true, (bool?)replaced["autoReplaced"]);
            // A read may see the takeover before its timeline entry is appended (reads interleave with the commit).
            var timeline = (await Until(
                () => http.GetJsonAsync($"/api/sessions/{id}/timeline"),
                t => t.AsArray().Any(e => (string?)e!["action"] == "auto-backup"))).AsArray();
            var takeover = timeline.Single(e => (string?)e!["action"] == "auto-backup")!;
            var venue = (string)replaced["venueId"]!;
            var failed = timeline.First(e => (string?)e!["action"] == "leg-failed" && ((string?)e["detail"])!.StartsWith(venue, StringComparison.Ordinal))!;
            Assert.Equal("system", (string?)takeover["actor"]);
            Assert.Contains("failed", (string?)takeover["detail"]);
            var took = (DateTimeOffset)takeover["at"]! - (DateTimeOffset)failed["at"]!;
            TestContext.Current.TestOutputHelper?.WriteLine($"bridge leg-failed → auto-backup on the timeline: {took.TotalMilliseconds:0} ms (afterSeconds 1)");
            Assert.InRange(took, TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(3));
        }
        finally
        {
            await EndAsync(session);
        }
    }

    [Fact]
    public async Task Closing_an_incident_with_a_live_session_needs_a_choice()
    {
        var (incident, session) = await IncidentWithLiveSessionAsync("fs-sanshui-xinan");
        try
        {
            var refused = await http.PostJsonAsync($"/api/incidents/{incident}/status", new { status = "closed" }, HttpStatusCode.Conflict);
            var noReason = await http.PostJsonAsync($"/api/incidents/{incident}/status", new { status = "closed", sessions = "keep" }, HttpStatusCode.BadRequest);
            var badChoice = await http.PostRawAsync(
                $"/api/incidents/{incident}/status", """{"status":"closed","sessions":"pause"}""", HttpStatusCode.BadRequest);

            Assert.Equal(409, (int?)refused["status"]);
            Assert.Contains(session, (string?)refused["detail"]);
            Assert.Contains("reason", (string?)noReason["detail"]);
            Assert.Contains("sessions", (string?)badChoice["detail"]);
            Assert.Equal("responding", (string?)(await http.GetJsonAsync($"/api/incidents/{incident}"))["status"]);
            Assert.Equal("live", (string?)(await http.GetJsonAsync($"/api/sessions/{session}"))["state"]);
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{session}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Closing_an_incident_with_end_ends_its_sessions_and_the_audit_says_so()
    {
        var (incident, session) = await IncidentWithLiveSessionAsync("fs-sanshui-datang");
        try
        {
            var closed = await http.PostJsonAsync($"/api/incidents/{incident}/status", new { status = "closed", sessions = "end" });

            Assert.Equal("closed", (string?)closed["status"]);
            var s = await http.GetJsonAsync($"/api/sessions/{session}");
            Assert.Equal("ended", (string?)s["state"]);
            Assert.Equal("incident closed", (string?)s["endReason"]);
            Assert.Contains(closed["timeline"]!.AsArray(), e => (string?)e!["action"] == "session-ended");
            await Until(
                async () =>
                {
                    var total = (long)(await http.GetJsonAsync("/api/audit?count=1"))["total"]!;
                    return await http.GetJsonAsync($"/api/audit?from={Math.Max(0, total - 50)}&count=50");
                },
                a => a["entries"]!.AsArray().Any(e => (string?)e!["target"] == incident && ((string?)e["detail"] ?? "").Contains("sessions end")));
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{session}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Closing_an_incident_with_keep_and_a_reason_leaves_its_sessions_running()
    {
        var (incident, session) = await IncidentWithLiveSessionAsync("fs-shunde-daliang");
        try
        {
            var closed = await http.PostJsonAsync($"/api/incidents/{incident}/status", new { status = "closed", sessions = "keep", reason = "转入灾后恢复" });

            Assert.Equal("closed", (string?)closed["status"]);
            Assert.Equal("live", (string?)(await http.GetJsonAsync($"/api/sessions/{session}"))["state"]);
            Assert.Contains(closed["timeline"]!.AsArray(), e => (string?)e!["action"] == "session-kept" && ((string?)e["detail"])!.Contains("转入灾后恢复"));
            Assert.Contains(
                (await http.GetJsonAsync($"/api/sessions/{session}/timeline")).AsArray(),
                e => (string?)e!["action"] == "incident-closed");
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{session}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Closing_an_incident_without_running_sessions_keeps_the_old_body()
    {
        var incident = (string)(await http.PostJsonAsync(
            "/api/incidents", new { title = "树木倒伏", type = "storm", severity = 4, regionCode = "440605" }, HttpStatusCode.Created))["id"]!;

        var closed = await http.PostJsonAsync($"/api/incidents/{incident}/status", new { status = "closed" });

        Assert.Equal("closed", (string?)closed["status"]);
    }

    private async Task<(string Incident, string Session)> IncidentWithLiveSessionAsync(string chair)
    {
        var incident = (string)(await http.PostJsonAsync(
            "/api/incidents", new { title = "内涝", type = "flood", severity = 4, regionCode = "440607" }, HttpStatusCode.Created))["id"]!;
        var session = (string)(await CreateAsync(new
        {
            title = "内涝处置", kind = "emergency", chairVenueId = chair, incidentId = incident, autoBackup = new { enabled = false },
        }))["id"]!;
        return (incident, session);
    }

    private async Task<JsonNode> CreateAsync(object body) => await http.PostJsonAsync("/api/sessions", body, HttpStatusCode.Created);

    private async Task EndAsync(params JsonNode[] sessions)
    {
        foreach (var s in sessions)
        {
            await http.PostAsync($"/api/sessions/{s["id"]}/end", null, TestContext.Current.CancellationToken);
        }
    }

    private static void AssertSetting(JsonNode session, bool enabled, int afterSeconds)
    {
        Assert.Equal(enabled, (bool?)session["autoBackup"]!["enabled"]);
        Assert.Equal(afterSeconds, (int?)session["autoBackup"]!["afterSeconds"]);
    }

    private static async Task<JsonNode> Until(Func<Task<JsonNode>> read, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not reached within 10 s; last: {value.ToJsonString()}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
