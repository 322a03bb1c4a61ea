using MediaBridge.Audio;

namespace MediaBridge.Tests.Audio;

public sealed class SpeakerSelectorTests
{
    [Fact]
    public void Two_legs_of_similar_level_do_not_take_the_place_from_each_other_every_frame()
    {
        var selector = new SpeakerSelector(count: 1);
        var loud = Signal.Sine(440, 16000, 8000, 320);
        var slightlyLouder = Signal.Sine(440, 16000, 9600, 320);
        var quiet = new short[320];
        var changes = 0;
        uint? last = null;
        for (var f = 0; f < 200; f++)
        {
            selector.Begin();
            selector.Offer(1, f % 2 == 0 ? slightlyLouder : loud);
            selector.Offer(2, f % 2 == 0 ? loud : slightlyLouder);
            selector.Offer(3, quiet);
            selector.Select();
            var now = Assert.Single(selector.Speakers);
            changes += last is { } l && l != now ? 1 : 0;
            last = now;
        }

        Assert.Equal(0, changes);
    }

    [Fact]
    public void A_clearly_louder_leg_takes_the_place_once_the_speaker_has_held_it()
    {
        var selector = new SpeakerSelector(count: 1, holdFrames: 10);
        var loud = Signal.Sine(440, 16000, 8000, 320);
        var quiet = Signal.Sine(440, 16000, 500, 320);
        var took = -1;
        for (var f = 0; f < 50; f++)
        {
            selector.Begin();
            selector.Offer(1, f < 3 ? loud : quiet);
            selector.Offer(2, f < 3 ? quiet : loud);
            selector.Select();
            if (took < 0 && selector.IsSpeaker(2))
            {
                took = f;
            }
        }

        Assert.Equal(10, took);
        Assert.False(selector.IsSpeaker(1));
    }

    [Fact]
    public void Silent_legs_take_no_place_when_places_are_contested_and_a_leg_not_offered_is_no_speaker()
    {
        var selector = new SpeakerSelector(count: 2);
        var loud = Signal.Sine(440, 16000, 8000, 320);
        var silence = new short[320];
        selector.Begin();
        selector.Offer(1, loud);
        foreach (var id in new uint[] { 2, 3, 4 })
        {
            selector.Offer(id, silence);
        }

        selector.Select();
        Assert.Equal([1u], selector.Speakers);
        selector.Begin();
        selector.Offer(2, silence);
        selector.Select();
        Assert.Equal([2u], selector.Speakers);
        Assert.False(selector.IsSpeaker(1));
    }

    [Fact]
    public void A_speaker_whose_audio_is_late_keeps_its_place_for_a_few_frames_but_not_longer()
    {
        var selector = new SpeakerSelector(count: 1, holdFrames: 0);
        var loud = Signal.Sine(440, 16000, 8000, 320);
        var softer = Signal.Sine(440, 16000, 6000, 320);
        var silence = new short[320];
        void Frame(bool firstSends)
        {
            selector.Begin();
            if (firstSends)
            {
                selector.Offer(1, loud);
            }
            else
            {
                selector.Keep(1);
            }

            selector.Offer(2, softer);
            selector.Offer(3, silence);
            selector.Select();
        }

        Frame(firstSends: true);
        Assert.True(selector.IsSpeaker(1));
        Frame(firstSends: false);
        Frame(firstSends: true);
        Assert.True(selector.IsSpeaker(1));
        for (var f = 0; f <= SpeakerSelector.GapFrames; f++)
        {
            Frame(firstSends: false);
        }

        Assert.False(selector.IsSpeaker(1));
        Assert.True(selector.IsSpeaker(2));
    }
}
