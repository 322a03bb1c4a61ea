using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Command.Contracts.Media;
using Command.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Command.Web.Tests.Apis;

[Collection(ApiCollection.Name)]
public sealed class WebRtcApiTests(CommandApiFactory factory) : AdminApiTest(factory)
{
    /// <summary>
    /// A session that has just moved to a bridge that has not yet taken its plan: the browser is
    /// told to come back shortly (503 with Retry-After), not that the session is over.
    /// </summary>
    [Fact]
    public async Task A_join_while_the_sessions_new_bridge_is_taking_it_on_is_answered_503_with_retry_after()
    {
        var grains = Factory.Services.GetRequiredService<IGrainFactory>();
        var registry = grains.GetGrain<IBridgeRegistryGrain>(IBridgeRegistryGrain.DefaultKey);
        var taking = new TakingOnBridge();
        var reference = grains.CreateObjectReference<IMediaBridgeObserver>(taking);
        var bridgeId = $"taking-on-{Guid.NewGuid():N}";
        await registry.RegisterAsync(new BridgeInfo(bridgeId, "1", "127.0.0.1:5060", 100_000, 0, 0, true), reference);
        var created = await http.PostJsonAsync(
            "/api/sessions",
            new { title = "迁移中入会", kind = "emergency", chairVenueId = "fs-nanhai", venueIds = new[] { "fs-nanhai-guicheng" } },
            HttpStatusCode.Created);
        var id = (string)created["id"]!;
        try
        {
            if (await registry.GetAssignmentAsync(id) is { } first && first != bridgeId)
            {
                // The node's own bridge took it: it leaves (and re-announces a heartbeat later), handing the session over.
                await registry.UnregisterAsync(first);
            }

            Assert.Equal(bridgeId, await registry.GetAssignmentAsync(id));
            using var offer = new StringContent("v=0\r\n", Encoding.UTF8);
            offer.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");

            using var response = await http.PostAsync($"/api/sessions/{id}/venues/fs-nanhai-guicheng/webrtc", offer, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await http.PostAsync($"/api/sessions/{id}/end", null, TestContext.Current.CancellationToken);
            await registry.UnregisterAsync(bridgeId);
            grains.DeleteObjectReference<IMediaBridgeObserver>(reference);
        }
    }
}
