using System.Text;
using MediaBridge.Legs.Uplinks;

namespace MediaBridge.Tests.Legs.Uplinks;

/// <summary>The JSON body of a cascaded roll call, as written above and read below (docs/cascade.md).</summary>
public sealed class CascadeControlTests
{
    [Fact]
    public void A_roll_call_reads_back_as_written_and_null_asks_for_the_broadcast_again()
    {
        Assert.Equal("""{"action":"rollcall","venueId":"fs-nanhai"}""", Encoding.UTF8.GetString(CascadeControl.Write("fs-nanhai")));
        Assert.Equal(new CascadeControl("rollcall", "fs-nanhai"), CascadeControl.Read(CascadeControl.Write("fs-nanhai")));
        Assert.Equal(new CascadeControl("rollcall", null), CascadeControl.Read(CascadeControl.Write(null)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("""{"action":"mute","venueId":"fs-nanhai"}""")]
    [InlineData("""{"action":"rollcall","venueId":""}""")]
    [InlineData("""{"action":"rollcall","venueId":7}""")]
    public void Anything_else_is_not_a_roll_call(string body) => Assert.Null(CascadeControl.Read(Encoding.UTF8.GetBytes(body)));
}
