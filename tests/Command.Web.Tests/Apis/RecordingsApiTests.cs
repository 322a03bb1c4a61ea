using System.Net;
using System.Net.Http.Json;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Apis;

/// <summary>Recording as the API shows it: on by default for emergencies, a chair action to turn it off or on, and the HLS files served to the chair's authority only.</summary>
[Collection(ApiCollection.Name)]
public sealed class RecordingsApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    [Fact]
    public async Task An_emergency_lists_its_recording_and_serves_its_playlist_and_segments_to_the_chairs_authority()
    {
        var id = await CreateAsync(new { title = "recorded", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-sanshui" } });
        try
        {
            var session = await http.GetJsonAsync($"/api/sessions/{id}");
            Assert.True((bool)session["record"]!);
            var recordingId = (string)session["recordingId"]!;

            var list = (await http.GetJsonAsync($"/api/sessions/{id}/recordings")).AsArray();
            var listed = Assert.Single(list)!;
            Assert.Equal(recordingId, (string?)listed["id"]);
            Assert.Equal(id, (string?)listed["sessionId"]);
            Assert.False((bool)listed["public"]!);
            Assert.Equal("recording", (string?)listed["status"]);
            Assert.Equal($"/api/recordings/{recordingId}/hls/index.m3u8", (string?)listed["hls"]);
            foreach (var field in new[] { "title", "startedAt", "endedAt", "durationSeconds", "chapters", "incidentId" })
            {
                Assert.True(listed.AsObject().ContainsKey(field), field);
            }

            Assert.Equal(recordingId, (string?)(await http.GetJsonAsync($"/api/recordings/{recordingId}"))["id"]);

            var part = Directory.CreateDirectory(Path.Combine(Factory.DataDirectory, "recordings", recordingId, "part-1")).FullName;
            await File.WriteAllTextAsync(Path.Combine(part, "index.m3u8"), "#EXTM3U\n#EXTINF:2.0,\nseg-00000.ts\n", TestContext.Current.CancellationToken);
            await File.WriteAllBytesAsync(Path.Combine(part, "seg-00000.ts"), [0x47, 1, 2, 3], TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(Factory.DataDirectory, "secret.txt"), "secret", TestContext.Current.CancellationToken);

            using var playlist = await http.GetAsync($"/api/recordings/{recordingId}/hls/index.m3u8", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, playlist.StatusCode);
            Assert.Equal("application/vnd.apple.mpegurl", playlist.Content.Headers.ContentType?.MediaType);
            Assert.Contains("max-age=1", playlist.Headers.CacheControl?.ToString());
            Assert.Contains("part-1/seg-00000.ts", await playlist.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

            using var segment = await http.GetAsync($"/api/recordings/{recordingId}/hls/part-1/seg-00000.ts", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, segment.StatusCode);
            Assert.Equal("video/mp2t", segment.Content.Headers.ContentType?.MediaType);
            Assert.Contains("immutable", segment.Headers.CacheControl?.ToString());
            Assert.Equal([0x47, 1, 2, 3], await segment.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

            foreach (var bad in new[] { "part-1/index.m3u8", "part-1/..%2F..%2F..%2Fsecret.txt", "..%2F..%2Fsecret.txt/seg-00000.ts", "part-1/rec.sdp", "part-2/seg-00000.ts" })
            {
                using var refused = await http.GetAsync($"/api/recordings/{recordingId}/hls/{bad}", TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            }

            using var district = await Factory.CreateClientAsAsync(TestUsers.For("chair-operator", TestUsers.Sanshui));
            await district.GetJsonAsync($"/api/recordings/{recordingId}", HttpStatusCode.OK);
            using var districtPlaylist = await district.GetAsync($"/api/recordings/{recordingId}/hls/index.m3u8", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, districtPlaylist.StatusCode);
            await http.GetJsonAsync("/api/recordings/r-nosuchthing", HttpStatusCode.NotFound);

            var audit = (await http.GetJsonAsync($"/api/audit?from={Math.Max(0, (long)(await http.GetJsonAsync("/api/audit?count=1"))["total"]! - 50)}&count=50"))["entries"]!.AsArray();
            Assert.Contains(audit, e => (string?)e!["action"] == $"GET /api/recordings/{recordingId}/hls/index.m3u8" && (string?)e["actor"] == TestUsers.Admin);
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task The_chair_turns_recording_off_and_on_and_a_meeting_records_when_created_with_record_true()
    {
        var id = await CreateAsync(new { title = "emergency", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-nanhai" } });
        var meeting = await CreateAsync(new { title = "meeting", kind = "meeting", chairVenueId = "fs-main", venueIds = new[] { "fs-chancheng" }, record = true });
        try
        {
            using var chair = await Factory.CreateClientAsAsync(TestUsers.For("chair-operator", TestUsers.City));
            using var viewer = await Factory.CreateClientAsAsync(TestUsers.For("viewer", TestUsers.City));
            await viewer.PostJsonAsync($"/api/sessions/{id}/recording", new { on = false }, HttpStatusCode.Forbidden);
            await chair.PostJsonAsync($"/api/sessions/{id}/recording", new { }, HttpStatusCode.BadRequest);

            var off = await chair.PostJsonAsync($"/api/sessions/{id}/recording", new { on = false });
            Assert.False((bool)off["record"]!);
            Assert.Null(off["recordingId"]);
            var on = await chair.PostJsonAsync($"/api/sessions/{id}/recording", new { on = true });
            Assert.NotNull((string?)on["recordingId"]);
            var recordings = (await http.GetJsonAsync($"/api/sessions/{id}/recordings")).AsArray();
            Assert.Equal(["ended", "recording"], recordings.Select(r => (string?)r!["status"]));

            Assert.True((bool)(await http.GetJsonAsync($"/api/sessions/{meeting}"))["record"]!);
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
            await http.PostAsync($"/api/sessions/{meeting}/end", null, TestContext.Current.CancellationToken);
        }
    }

    private async Task<string> CreateAsync(object body)
    {
        using var response = await http.PostAsJsonAsync("/api/sessions", body, TestContext.Current.CancellationToken);
        return (string)(await response.ReadAsync(HttpStatusCode.Created))["id"]!;
    }
}
