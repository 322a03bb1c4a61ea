using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Command.Contracts.Recordings;
using Command.Grains.Recordings;
using Command.Grains.Tests.Infrastructure;
using Command.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Command.Web.Tests.Apis;

/// <summary>
/// A recording's chapters on a whole node: each floor change goes into the recording's list in the store, the recording,
/// session and public APIs list every chapter with its offset in the media, and the change pushed to pages carries only their
/// count, as does the session's list when asked without chapters.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RecordingChaptersApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    private static readonly string[] Broadcasts = ["fs-nanhai", "fs-sanshui", "fs-nanhai", "fs-sanshui", "fs-nanhai", "fs-sanshui"];

    [Fact]
    public async Task Every_floor_change_is_listed_in_full_by_the_apis_while_the_push_carries_only_the_count()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = Factory.CreateClient();
        using var created = await http.PostAsJsonAsync(
            "/api/sessions", new { title = "章节", kind = "emergency", chairVenueId = "fs-main", venueIds = new[] { "fs-nanhai", "fs-sanshui" }, @public = true }, ct);
        var session = await created.ReadAsync(HttpStatusCode.Created);
        var id = (string)session["id"]!;
        var recordingId = (string)session["recordingId"]!;
        await using var hub = Factory.CreateHubConnection(async () => await Factory.TokenAsync(TestUsers.Admin));
        var pushed = Channel.CreateUnbounded<JsonNode>();
        hub.On<JsonElement>("RecordingChanged", c => pushed.Writer.TryWrite(JsonNode.Parse(c.GetRawText())!));
        await hub.StartAsync(ct);
        await hub.InvokeAsync<JsonElement>("SubscribeSession", id, ct);
        try
        {
            // One part holding the whole session so far: each chapter's offset is how long after the part's start it came.
            var partStart = DateTimeOffset.UtcNow.AddMinutes(-1);
            var recording = Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IRecordingGrain>(recordingId);
            await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.PartStarted, "part-1", 0, partStart, "H264"));
            await recording.ReportAsync(new RecordingReport("b1", RecordingReportKind.Progress, "part-1", 3600, partStart.AddSeconds(3600), null));
            foreach (var venue in Broadcasts)
            {
                await http.PostJsonAsync($"/api/sessions/{id}/broadcast", new { venueId = venue });
            }

            var expected = Broadcasts.Length + 1;
            var one = await Eventually.Until(() => http.GetJsonAsync($"/api/recordings/{recordingId}"), r => r["chapters"]!.AsArray().Count >= expected, TimeSpan.FromSeconds(10));
            var chapters = one["chapters"]!.AsArray();
            Assert.Equal(expected, chapters.Count);
            Assert.Equal(expected, (int)one["chapterCount"]!);
            Assert.Equal("started", (string?)chapters[0]!["action"]);
            Assert.Equal(Broadcasts, chapters.Skip(1).Select(c => (string?)c!["venueId"]));
            foreach (var chapter in chapters)
            {
                var at = chapter!["at"]!.GetValue<DateTimeOffset>();
                Assert.Equal((at - partStart).TotalSeconds, (double)chapter["offsetSeconds"]!, 0.002);
            }

            var listed = Assert.Single((await http.GetJsonAsync($"/api/sessions/{id}/recordings")).AsArray())!;
            Assert.True(JsonNode.DeepEquals(chapters, listed["chapters"]), listed.ToJsonString());

            // Pages fetch the list again on each change of the session: they leave the chapters out.
            var brief = Assert.Single((await http.GetJsonAsync($"/api/sessions/{id}/recordings?chapters=false")).AsArray())!;
            Assert.Empty(brief["chapters"]!.AsArray());
            Assert.Equal(expected, (int)brief["chapterCount"]!);
            Assert.Equal((long)one["version"]!, (long)brief["version"]!);
            Assert.True(JsonNode.DeepEquals(chapters, Assert.Single((await http.GetJsonAsync($"/api/sessions/{id}/recordings?chapters=true")).AsArray())!["chapters"]));
            await http.GetJsonAsync($"/api/sessions/{id}/recordings?chapters=some", HttpStatusCode.BadRequest);

            await http.PostJsonAsync($"/api/sessions/{id}/publish", new { approved = true });
            var broadcast = Assert.Single((await anonymous.GetJsonAsync("/api/public/broadcasts")).AsArray(), b => (string?)b!["sessionId"] == id)!;
            Assert.Equal(chapters.Select(c => (double)c!["offsetSeconds"]!), broadcast["chapters"]!.AsArray().Select(c => (double)c!["offsetSeconds"]!));

            var stored = await Factory.Services.GetRequiredService<IRecordingChapterStore>().ReadAsync(recordingId);
            Assert.Equal(chapters.Select(c => c!["at"]!.GetValue<DateTimeOffset>()), stored.Select(c => c.At));

            // The pages hold the count; the chapters themselves are fetched by the replay that shows them.
            var last = await NextAsync(pushed, c => (string?)c["recording"]!["id"] == recordingId && (int)c["recording"]!["chapterCount"]! == expected);
            Assert.Empty(last["recording"]!["chapters"]!.AsArray());
            while (pushed.Reader.TryRead(out var more))
            {
                Assert.Empty(more["recording"]!["chapters"]!.AsArray());
            }
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, ct);
        }
    }

    private static async Task<JsonNode> NextAsync(Channel<JsonNode> changes, Func<JsonNode, bool> match)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var change = await changes.Reader.ReadAsync(cts.Token);
                Assert.Empty(change["recording"]!["chapters"]!.AsArray());
                if (match(change))
                {
                    return change;
                }

                seen.Add(change.ToJsonString());
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No matching change within 10 s; seen: {string.Join("; ", seen)}");
            throw;
        }
    }
}
