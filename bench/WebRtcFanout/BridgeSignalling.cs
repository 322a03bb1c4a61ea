using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace WebRtcFanout;

/// <summary>This bridge's side: a live session with the publisher as chair (so broadcast) and every subscriber a venue, joined WHIP-style.</summary>
internal sealed class BridgeSignalling(string baseUrl, string user, string password) : ISignalling
{
    private readonly HttpClient http = new() { BaseAddress = new Uri(baseUrl) };
    private string session = "";
    private List<string> venues = [];

    public async Task PrepareAsync(int subscribers)
    {
        var token = await (await http.PostAsJsonAsync("/api/auth/token", new { username = user, password })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)token!["accessToken"]!);
        var all = (await http.GetFromJsonAsync<JsonArray>("/api/venues"))!.Select(v => (string)v!["id"]!).ToList();
        if (all.Count < subscribers + 1)
        {
            throw new InvalidOperationException($"the topology has {all.Count} venues; {subscribers + 1} are needed");
        }

        venues = all.Take(subscribers + 1).ToList();
        var created = await (await http.PostAsJsonAsync("/api/sessions", new { title = "fan-out", kind = "meeting", chairVenueId = venues[0], venueIds = venues.Skip(1).ToArray() }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>();
        session = (string)created!["id"]!;
        // A meeting, not an emergency: emergencies record by default, and Janus's room records nothing.
        (await http.PostAsync($"/api/sessions/{session}/start", null)).EnsureSuccessStatusCode();
    }

    public Task ConnectPublisherAsync(BenchPeer peer) => JoinAsync(peer, venues[0], "sendonly");

    public Task ConnectSubscriberAsync(BenchPeer peer, int index) => JoinAsync(peer, venues[index + 1], "recvonly");

    public void Dispose() => http.Dispose();

    private async Task JoinAsync(BenchPeer peer, string venue, string direction)
    {
        using var content = new StringContent(peer.Description(direction, "active"), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
        using var response = await http.PostAsync($"/api/sessions/{session}/venues/{venue}/webrtc", content);
        var answer = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"join {venue}: {(int)response.StatusCode} {answer}");
        }

        await Task.Run(() => peer.Connect(answer, TimeSpan.FromSeconds(10)));
    }
}
