using System.Net;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Auth;

/// <summary>The chair's backup action brings in only a backup venue within the chair's own region.</summary>
[Collection(ApiCollection.Name)]
public sealed class BackupAuthorityApiTests(CommandApiFactory factory)
{
    [Fact]
    public async Task A_district_chair_is_refused_the_city_backup_and_keeps_its_session()
    {
        using var chair = await factory.CreateClientAsAsync(TestUsers.For("chair-operator", TestUsers.Nanhai));
        var created = await chair.PostJsonAsync(
            "/api/sessions", new { title = "南海备用", kind = "emergency", chairVenueId = "fs-nanhai", venueIds = new[] { "fs-nanhai-guicheng" } }, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        try
        {
            var branch = await chair.PostJsonAsync($"/api/sessions/{id}/backup", new { failedVenueId = "fs-nanhai-guicheng" }, HttpStatusCode.Forbidden);
            var own = await chair.PostJsonAsync($"/api/sessions/{id}/backup", new { failedVenueId = "fs-nanhai" }, HttpStatusCode.Forbidden);

            Assert.Contains("440605", (string?)branch["detail"]);
            Assert.Equal(403, (int?)own["status"]);
            var after = await chair.GetJsonAsync($"/api/sessions/{id}");
            Assert.Equal("fs-nanhai", (string?)after["chairVenueId"]);
            Assert.DoesNotContain(after["venues"]!.AsArray(), v => (string?)v!["venueId"] == "fs-backup");
            await chair.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-nanhai-guicheng" });
        }
        finally
        {
            await chair.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_district_chair_gets_its_own_districts_backup_and_still_controls_the_session()
    {
        using var chair = await factory.CreateClientAsAsync(TestUsers.For("chair-operator", TestUsers.Sanshui));
        var created = await chair.PostJsonAsync(
            "/api/sessions", new { title = "三水备用", kind = "meeting", chairVenueId = "fs-sanshui", venueIds = new[] { "fs-sanshui-lubao" } }, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        try
        {
            await chair.PostJsonAsync($"/api/sessions/{id}/start", null);
            var replaced = await chair.PostJsonAsync($"/api/sessions/{id}/backup", new { failedVenueId = "fs-sanshui" });

            Assert.Equal("fs-sanshui-backup", (string?)replaced["chairVenueId"]);
            await chair.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = "fs-sanshui-lubao" });
        }
        finally
        {
            await chair.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }
}
