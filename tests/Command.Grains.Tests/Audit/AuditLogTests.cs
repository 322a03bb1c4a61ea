using Command.Contracts.Audit;
using Command.Grains.Audit;
using Command.Grains.Tests.Infrastructure;

namespace Command.Grains.Tests.Audit;

[Collection(ClusterCollection.Name)]
public sealed class AuditLogTests(ClusterFixture fixture)
{
    private IAuditLogGrain Log => fixture.Grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.DefaultKey);

    [Fact]
    public async Task Entries_link_each_to_the_one_before()
    {
        var first = await Log.AppendAsync(Record("a"));
        var second = await Log.AppendAsync(Record("b"));

        Assert.Equal(first.Index + 1, second.Index);
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.Equal(AuditChain.HashOf(second), second.Hash);
        Assert.True((await Log.VerifyAsync()).Intact);
        var page = await Log.ReadAsync(first.Index, 2);
        Assert.Equal([first, second], page.Entries);
    }

    [Fact]
    public void Changing_any_field_changes_the_hash()
    {
        var entry = AuditChain.Link(7, AuditChain.Genesis, Record("x"));

        Assert.NotEqual(entry.Hash, AuditChain.HashOf(entry with { Outcome = 200 }));
        Assert.NotEqual(entry.Hash, AuditChain.HashOf(entry with { Actor = "someone-else" }));
        Assert.NotEqual(entry.Hash, AuditChain.HashOf(entry with { PreviousHash = entry.Hash }));
    }

    [Fact]
    public async Task Verify_names_the_first_entry_that_was_altered_in_the_store()
    {
        var target = await Log.AppendAsync(Record("to-alter"));
        await Log.AppendAsync(Record("after"));

        fixture.AuditStore.Tamper((int)target.Index, AuditChain.Serialize(target with { Outcome = 200 }));
        try
        {
            var result = await Log.VerifyAsync();

            Assert.False(result.Intact);
            Assert.Equal(target.Index, result.FirstBrokenIndex);
            Assert.Contains("does not match its hash", result.Reason);
        }
        finally
        {
            fixture.AuditStore.Tamper((int)target.Index, AuditChain.Serialize(target));
        }
    }

    private static AuditRecord Record(string target) =>
        new(DateTimeOffset.UtcNow, "tester", "admin", "POST /api/test", target, 403, "");
}
