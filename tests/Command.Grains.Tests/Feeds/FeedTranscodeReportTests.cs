using Command.Contracts.Feeds;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Feeds;

/// <summary>A bridge that transcodes a camera says from what; the feed's view shows it while that report holds.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FeedTranscodeReportTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_view_names_the_codec_a_camera_was_transcoded_from_and_drops_it_when_the_camera_is_forwarded_as_it_is()
    {
        var net = await TestNetwork.CreateAsync(fixture.Grains);
        var grain = fixture.Grains.GetGrain<IFeedGrain>(net.Camera);

        await grain.ReportMediaAsync(new FeedMediaReport("b1", FeedStatus.Online, "H264 Constrained Baseline L3.1", 1280, 720, 25, 1500, null, TimeSpan.FromMinutes(1), "H265"));
        var transcoded = (await grain.GetViewAsync())!;
        Assert.Equal(("H264 Constrained Baseline L3.1", "H265"), (transcoded.Codec, transcoded.TranscodedFrom));

        await grain.ReportMediaAsync(new FeedMediaReport("b1", FeedStatus.Online, "H264 Main L4", 1920, 1080, 25, 4000, null, TimeSpan.FromMinutes(1)));
        var forwarded = (await grain.GetViewAsync())!;
        Assert.Equal(("H264 Main L4", null), (forwarded.Codec, forwarded.TranscodedFrom));
    }
}
