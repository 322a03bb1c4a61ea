using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WebRtcFanout;

/// <summary>
/// Janus's side, through its HTTP API: a video room with the publisher joined as its one publisher
/// and every subscriber subscribed to it. Janus offers to subscribers, so they answer.
/// </summary>
internal sealed class JanusSignalling(string baseUrl) : ISignalling
{
    private const long Room = 4406;
    private readonly HttpClient http = new() { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentQueue<JsonObject> events = new();
    private readonly CancellationTokenSource stop = new();
    private long session;
    private long publisherId;

    public async Task PrepareAsync(int subscribers)
    {
        session = (long)(await PostAsync("/janus", new JsonObject { ["janus"] = "create" }))["data"]!["id"]!;
        _ = Task.Run(PollAsync);
        var handle = await AttachAsync();
        await PostAsync($"/janus/{session}/{handle}", new JsonObject
        {
            ["janus"] = "message",
            ["body"] = new JsonObject { ["request"] = "create", ["room"] = Room, ["publishers"] = 1, ["videocodec"] = "vp8", ["bitrate"] = 0 },
        });
    }

    public async Task ConnectPublisherAsync(BenchPeer peer)
    {
        var handle = await AttachAsync();
        await PostAsync($"/janus/{session}/{handle}", new JsonObject
        {
            ["janus"] = "message",
            ["body"] = new JsonObject { ["request"] = "joinandconfigure", ["room"] = Room, ["ptype"] = "publisher", ["display"] = "publisher" },
            ["jsep"] = new JsonObject { ["type"] = "offer", ["sdp"] = peer.Description("sendonly", "active"), ["trickle"] = false },
        });
        var joined = await EventAsync(handle, e => e["jsep"] is not null);
        publisherId = (long)joined["plugindata"]!["data"]!["id"]!;
        await Task.Run(() => peer.Connect((string)joined["jsep"]!["sdp"]!, TimeSpan.FromSeconds(10)));
    }

    public async Task ConnectSubscriberAsync(BenchPeer peer, int index)
    {
        var handle = await AttachAsync();
        await PostAsync($"/janus/{session}/{handle}", new JsonObject
        {
            ["janus"] = "message",
            ["body"] = new JsonObject
            {
                ["request"] = "join", ["room"] = Room, ["ptype"] = "subscriber",
                ["streams"] = new JsonArray(new JsonObject { ["feed"] = publisherId }),
            },
        });
        var attached = await EventAsync(handle, e => e["jsep"] is not null);
        var offer = (string)attached["jsep"]!["sdp"]!;
        var (mid, payloadType) = VideoOf(offer);
        await PostAsync($"/janus/{session}/{handle}", new JsonObject
        {
            ["janus"] = "message",
            ["body"] = new JsonObject { ["request"] = "start", ["room"] = Room },
            ["jsep"] = new JsonObject { ["type"] = "answer", ["sdp"] = peer.Description("recvonly", "active", mid, payloadType), ["trickle"] = false },
        });
        await Task.Run(() => peer.Connect(offer, TimeSpan.FromSeconds(10)));
    }

    public void Dispose()
    {
        stop.Cancel();
        http.Dispose();
    }

    private static (string Mid, int PayloadType) VideoOf(string sdp)
    {
        if (!MediaBridge.Sdp.SdpParser.TryParse(sdp, out var parsed, out var error))
        {
            throw new InvalidOperationException($"Janus's offer: {error}");
        }

        var video = parsed.Media.First(m => m.Media == "video" && m.Port != 0);
        return (video.Values("mid").First(), video.Codecs().First(c => c.Is("VP8")).PayloadType);
    }

    private async Task<long> AttachAsync() =>
        (long)(await PostAsync($"/janus/{session}", new JsonObject { ["janus"] = "attach", ["plugin"] = "janus.plugin.videoroom" }))["data"]!["id"]!;

    private async Task<JsonObject> PostAsync(string path, JsonObject body)
    {
        body["transaction"] = Guid.NewGuid().ToString("N");
        using var response = await http.PostAsJsonAsync(path, body);
        var reply = (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!;
        if ((string?)reply["janus"] is "error" || reply["plugindata"]?["data"]?["error"] is not null)
        {
            throw new InvalidOperationException($"Janus refused {body.ToJsonString()}: {reply.ToJsonString()}");
        }

        return reply;
    }

    private async Task<JsonObject> EventAsync(long handle, Func<JsonObject, bool> wanted)
    {
        for (var waited = 0; waited < 20_000; waited += 20)
        {
            var match = events.FirstOrDefault(e => (long?)e["sender"] == handle && wanted(e));
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no event from Janus handle {handle}; seen: {string.Join("\n", events.Select(e => e.ToJsonString()))}");
    }

    /// <summary>Janus's long poll: every event of the session, kept for <see cref="EventAsync"/>.</summary>
    private async Task PollAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var node = await http.GetFromJsonAsync<JsonNode>($"/janus/{session}?maxev=10", stop.Token);
                foreach (var e in node is JsonArray array ? array.OfType<JsonObject>() : node is JsonObject one ? [one] : [])
                {
                    events.Enqueue(e);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                await Task.Delay(50);
            }
        }
    }
}
