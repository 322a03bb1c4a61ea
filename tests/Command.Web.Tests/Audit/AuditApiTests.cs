using System.Net;
using Command.Silo.Store;
using Command.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Command.Web.Tests.Audit;

[Collection(ApiCollection.Name)]
public sealed class AuditApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    [Fact]
    public async Task Changes_and_denied_attempts_are_recorded_with_who_what_and_outcome()
    {
        using var viewer = await Factory.CreateClientAsAsync(TestUsers.For("viewer", TestUsers.City));
        var denied = await viewer.PostJsonAsync("/api/incidents", new { title = "x", type = "fire", severity = 4, regionCode = "440604" }, HttpStatusCode.Forbidden);
        var created = await http.PostJsonAsync("/api/incidents", new { title = "审计测试", type = "fire", severity = 4, regionCode = "440604" }, HttpStatusCode.Created);

        var total = (long)(await http.GetJsonAsync("/api/audit?count=1"))["total"]!;
        var recent = (await http.GetJsonAsync($"/api/audit?from={Math.Max(0, total - 20)}&count=20"))["entries"]!.AsArray();

        Assert.NotNull(denied);
        Assert.Contains(recent, e => (string?)e!["actor"] == TestUsers.For("viewer", TestUsers.City) && (int?)e["outcome"] == 403 && (string?)e["action"] == "POST /api/incidents");
        Assert.Contains(recent, e => (string?)e!["actor"] == TestUsers.Admin && (int?)e["outcome"] == 201 && (string?)e["action"] == "POST /api/incidents");
        Assert.NotNull(created);
    }

    [Fact]
    public async Task Only_admins_read_the_audit_trail()
    {
        using var chair = await Factory.CreateClientAsAsync(TestUsers.For("chair-operator", TestUsers.City));

        await chair.GetJsonAsync("/api/audit", HttpStatusCode.Forbidden);
        await Factory.CreateClient().GetJsonAsync("/api/audit/verify", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Verify_names_an_entry_altered_in_the_store()
    {
        var feed = await http.PostJsonAsync("/api/feeds", new { name = "审计摄像头", url = "rtsp://127.0.0.1:8554/audit", owner = "公安局", regionCode = "440604" }, HttpStatusCode.Created);
        var store = Factory.Services.GetRequiredService<StoreConnection>();
        var audit = (RedisAuditStore)Factory.Services.GetRequiredService<Command.Grains.Audit.IAuditStore>();
        var db = (await store.GetAsync()).GetDatabase();

        // The entry is appended as the response completes; find it once it is there.
        long index = -1;
        string original = "";
        for (var attempt = 0; attempt < 100 && index < 0; attempt++)
        {
            var total = await db.ListLengthAsync(audit.Key);
            for (var i = total - 1; i >= Math.Max(0, total - 10) && index < 0; i--)
            {
                var value = (string)(await db.ListGetByIndexAsync(audit.Key, i))!;
                if (value.Contains("\"POST /api/feeds\"", StringComparison.Ordinal) && value.Contains("\"outcome\":201", StringComparison.Ordinal)
                    && value.Contains($"\"actor\":\"{TestUsers.Admin}\"", StringComparison.Ordinal))
                {
                    (index, original) = (i, value);
                }
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(index >= 0, $"no audit entry for creating {feed["id"]}");
        Assert.Equal(true, (bool?)(await http.GetJsonAsync("/api/audit/verify"))["intact"]);
        await db.ListSetByIndexAsync(audit.Key, index, original.Replace("\"outcome\":201", "\"outcome\":200", StringComparison.Ordinal));
        try
        {
            var verdict = await http.GetJsonAsync("/api/audit/verify");

            Assert.Equal(false, (bool?)verdict["intact"]);
            Assert.Equal(index, (long?)verdict["firstBrokenIndex"]);
            Assert.Contains($"Entry {index}", (string?)verdict["reason"]);
        }
        finally
        {
            await db.ListSetByIndexAsync(audit.Key, index, original);
        }
    }
}
