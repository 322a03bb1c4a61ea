using System.Net;
using System.Net.Http.Json;
using Command.Web.Tests.Infrastructure;

namespace Command.Web.Tests.Apis;

/// <summary>Public broadcasts (网上直播) without sign-in: only sessions approved public show, with their recording's HLS files, and a withdrawal hides them at once.</summary>
[Collection(ApiCollection.Name)]
public sealed class PublicBroadcastsApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    [Fact]
    public async Task Only_an_approved_public_session_is_listed_and_played_anonymously_until_withdrawn()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = Factory.CreateClient();
        var id = await CreateAsync(new { title = "公开直播", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-sanshui" }, @public = true });
        try
        {
            var recordingId = (string)(await http.GetJsonAsync($"/api/sessions/{id}"))["recordingId"]!;
            await WriteRecordingAsync(recordingId);
            var playlistUrl = $"/api/public/broadcasts/{id}/hls/index.m3u8";

            Assert.DoesNotContain((await anonymous.GetJsonAsync("/api/public/broadcasts")).AsArray(), b => (string?)b!["sessionId"] == id);
            await anonymous.GetJsonAsync(playlistUrl, HttpStatusCode.NotFound);

            await http.PostJsonAsync($"/api/sessions/{id}/publish", new { approved = true });
            var listed = Assert.Single((await anonymous.GetJsonAsync("/api/public/broadcasts")).AsArray(), b => (string?)b!["sessionId"] == id)!;
            Assert.Equal("公开直播", (string?)listed["title"]);
            Assert.Equal("live", (string?)listed["state"]);
            Assert.NotNull(listed["startedAt"]);
            Assert.True(listed.AsObject().ContainsKey("endedAt"));
            Assert.Equal(playlistUrl, (string?)listed["hls"]);

            using (var playlist = await anonymous.GetAsync(playlistUrl, ct))
            {
                Assert.Equal(HttpStatusCode.OK, playlist.StatusCode);
                Assert.Equal("application/vnd.apple.mpegurl", playlist.Content.Headers.ContentType?.MediaType);
                Assert.Equal("public, max-age=1", playlist.Headers.CacheControl?.ToString());
                Assert.Contains("part-1/seg-00000.ts", await playlist.Content.ReadAsStringAsync(ct));
            }

            using (var segment = await anonymous.GetAsync($"/api/public/broadcasts/{id}/hls/part-1/seg-00000.ts", ct))
            {
                Assert.Equal(HttpStatusCode.OK, segment.StatusCode);
                Assert.Equal("video/mp2t", segment.Content.Headers.ContentType?.MediaType);
                Assert.Equal("public, max-age=31536000, immutable", segment.Headers.CacheControl?.ToString());
            }

            using (var escape = await anonymous.GetAsync($"/api/public/broadcasts/{id}/hls/part-1/..%2F..%2F..%2Fsecret.txt", ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, escape.StatusCode);
            }

            Assert.True((bool)(await http.GetJsonAsync($"/api/recordings/{recordingId}"))["public"]!);
            await anonymous.GetJsonAsync($"/api/sessions/{id}", HttpStatusCode.Unauthorized);
            await anonymous.GetJsonAsync($"/api/recordings/{recordingId}/hls/index.m3u8", HttpStatusCode.Unauthorized);
            await anonymous.GetJsonAsync("/api/sessions", HttpStatusCode.Unauthorized);

            await http.PostJsonAsync($"/api/sessions/{id}/publish", new { approved = false });
            Assert.DoesNotContain((await anonymous.GetJsonAsync("/api/public/broadcasts")).AsArray(), b => (string?)b!["sessionId"] == id);
            await anonymous.GetJsonAsync(playlistUrl, HttpStatusCode.NotFound);
            await anonymous.GetJsonAsync($"/api/public/broadcasts/{id}/hls/part-1/seg-00000.ts", HttpStatusCode.NotFound);
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, ct);
        }
    }

    [Fact]
    public async Task A_private_session_and_an_unknown_one_are_not_found_anonymously_and_an_ended_approved_one_stays_in_the_archive()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = Factory.CreateClient();
        var hidden = await CreateAsync(new { title = "内部应急", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-sanshui" } });
        await WriteRecordingAsync((string)(await http.GetJsonAsync($"/api/sessions/{hidden}"))["recordingId"]!);
        await http.PostAsync($"/api/sessions/{hidden}/end", null, ct);
        await anonymous.GetJsonAsync($"/api/public/broadcasts/{hidden}/hls/index.m3u8", HttpStatusCode.NotFound);
        await anonymous.GetJsonAsync($"/api/public/broadcasts/{hidden}/hls/part-1/seg-00000.ts", HttpStatusCode.NotFound);
        await anonymous.GetJsonAsync("/api/public/broadcasts/s-nosuchsession/hls/index.m3u8", HttpStatusCode.NotFound);
        Assert.DoesNotContain((await anonymous.GetJsonAsync("/api/public/broadcasts")).AsArray(), b => (string?)b!["sessionId"] == hidden);

        var archived = await CreateAsync(new { title = "公开归档", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-sanshui" }, @public = true });
        await WriteRecordingAsync((string)(await http.GetJsonAsync($"/api/sessions/{archived}"))["recordingId"]!);
        await http.PostJsonAsync($"/api/sessions/{archived}/publish", new { approved = true });
        await http.PostAsync($"/api/sessions/{archived}/end", null, ct);
        var listed = Assert.Single((await anonymous.GetJsonAsync("/api/public/broadcasts")).AsArray(), b => (string?)b!["sessionId"] == archived)!;
        Assert.Equal("ended", (string?)listed["state"]);
        Assert.NotNull(listed["endedAt"]);
        using var playlist = await anonymous.GetAsync($"/api/public/broadcasts/{archived}/hls/index.m3u8", ct);
        Assert.Equal(HttpStatusCode.OK, playlist.StatusCode);
        Assert.Contains("#EXT-X-ENDLIST", await playlist.Content.ReadAsStringAsync(ct));
    }

    private async Task WriteRecordingAsync(string recordingId)
    {
        var part = Directory.CreateDirectory(Path.Combine(Factory.DataDirectory, "recordings", recordingId, "part-1")).FullName;
        await File.WriteAllTextAsync(Path.Combine(part, "index.m3u8"), "#EXTM3U\n#EXTINF:2.0,\nseg-00000.ts\n", TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(part, "seg-00000.ts"), [0x47, 1, 2, 3], TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(Factory.DataDirectory, "secret.txt"), "secret", TestContext.Current.CancellationToken);
    }

    private async Task<string> CreateAsync(object body)
    {
        using var response = await http.PostAsJsonAsync("/api/sessions", body, TestContext.Current.CancellationToken);
        return (string)(await response.ReadAsync(HttpStatusCode.Created))["id"]!;
    }
}
