using System.Text;
using Command.Contracts;
using Command.Contracts.Feeds;
using Command.Contracts.Regions;
using Command.Contracts.Sessions;
using Command.Grains.Feeds;
using Command.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Command.Grains.Tests.Feeds;

/// <summary>Camera credentials are stored encrypted and reach only the bridge's plan, decrypted.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FeedCredentialsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_stored_state_holds_no_password_yet_the_plan_for_the_bridge_does()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var password = "s3cret-" + Guid.NewGuid().ToString("N");
        var feed = await Directory.AddFeedAsync(
            "加密摄像头", "rtsp://127.0.0.1:8554/locked", "公安局", net.District1Code, "officer", new FeedCredentials("viewer", password));

        var stored = await StoredAsync(feed.Id);
        Assert.NotNull(stored.Feed);
        Assert.NotNull(stored.ProtectedCredentials);
        var bytes = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>().SerializeToArray(stored);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(password)));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(password)));

        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(net.Emergency(net.District1), "officer");
        await session.AttachFeedAsync(feed.Id, "officer");
        var plan = await session.GetConferencePlanAsync();
        var planned = Assert.Single(plan!.Feeds);
        Assert.Equal(("viewer", password), (planned.Username, planned.Password));
        Assert.Equal(feed.Url, planned.Url);

        var view = await fixture.Grains.GetGrain<IFeedGrain>(feed.Id).GetViewAsync();
        Assert.True(view!.HasCredentials);
        Assert.DoesNotContain(await session.GetTimelineAsync(), e => e.Detail.Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_feed_without_credentials_has_none_in_the_plan()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var session = fixture.Grains.GetGrain<ISessionGrain>(ShortId.New("s"));
        await session.CreateAsync(net.Emergency(net.District1), "officer");
        await session.AttachFeedAsync(net.Camera, "officer");

        var planned = Assert.Single((await session.GetConferencePlanAsync())!.Feeds);

        Assert.Null(planned.Username);
        Assert.Null(planned.Password);
        Assert.False((await fixture.Grains.GetGrain<IFeedGrain>(net.Camera).GetViewAsync())!.HasCredentials);
    }

    [Fact]
    public async Task Credentials_never_print_their_password()
    {
        var text = new FeedCredentials("viewer", "hunter2-xyz").ToString();

        Assert.DoesNotContain("hunter2-xyz", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rtp://0.0.0.0:5004")]
    [InlineData("rtp://10.1.2.3:5004")]
    [InlineData("rtsp://cam.example:554/stream")]
    public void Good_urls_pass(string url) => FeedRules.Validate("cam", url, "公安局");

    [Theory]
    [InlineData("rtp://camera.example:5004")]
    [InlineData("rtp://0.0.0.0")]
    [InlineData("rtp://0.0.0.0:5004/path")]
    [InlineData("rtsp://admin:pw@10.0.0.1/stream")]
    [InlineData("http://10.0.0.1/stream")]
    public void Bad_urls_are_refused(string url)
    {
        var e = Assert.Throws<CommandException>(() => FeedRules.Validate("cam", url, "公安局"));
        Assert.Equal(CommandErrorKind.Invalid, e.Kind);
    }

    [Fact]
    public async Task Status_is_offline_without_a_report_and_follows_the_bridge_report_until_its_lease_lapses()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var grain = fixture.Grains.GetGrain<IFeedGrain>(net.Camera);
        Assert.Equal(FeedStatus.Offline, (await grain.GetViewAsync())!.Status);

        await grain.ReportMediaAsync(new FeedMediaReport("b1", FeedStatus.Online, "H264", 1280, 720, 25, 2048, null, TimeSpan.FromMilliseconds(600)));

        var online = (await grain.GetViewAsync())!;
        Assert.Equal((FeedStatus.Online, "H264", 1280, 720, 25.0, 2048.0), (online.Status, online.Codec, online.Width, online.Height, online.Fps, online.BitrateKbps));
        await Eventually.Until(grain.GetViewAsync, v => v!.Status == FeedStatus.Offline && v.Codec is null, TimeSpan.FromSeconds(5));
    }

    private IDirectoryGrain Directory => fixture.Grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.DefaultKey);

    private async Task<FeedState> StoredAsync(string feedId)
    {
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(CommandStorage.Name);
        var state = new GrainState<FeedState>();
        await storage.ReadStateAsync("feed", fixture.Grains.GetGrain<IFeedGrain>(feedId).GetGrainId(), state);
        return Assert.IsType<FeedState>(state.State);
    }
}
