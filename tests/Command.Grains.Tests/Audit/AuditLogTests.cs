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

    [Fact]
    public async Task Appending_the_same_entry_id_twice_keeps_one_entry()
    {
        var record = Record("retried") with { EntryId = Guid.NewGuid().ToString("N") };

        var first = await Log.AppendAsync(record);
        var again = await Log.AppendAsync(record with { At = record.At.AddSeconds(1) });
        var after = await Log.AppendAsync(Record("next"));

        Assert.Equal(first, again);
        Assert.Equal(first.Index + 1, after.Index);
        Assert.Equal(first.Hash, after.PreviousHash);
        Assert.True((await Log.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task An_append_whose_reply_was_lost_is_not_appended_again_and_the_chain_does_not_fork()
    {
        var record = Record("lost-reply") with { EntryId = Guid.NewGuid().ToString("N") };
        var tip = await fixture.AuditStore.ReadTipAsync();
        var landed = AuditChain.Link(tip.Count, tip.Hash ?? AuditChain.Genesis, record);

        // The store took the append but the writer never heard back: the grain still thinks the chain ends at tip.
        var head = await Log.VerifyAsync();
        await fixture.AuditStore.AppendAsync(record.EntryId, tip.Count, tip.Hash ?? AuditChain.Genesis, landed.Hash, AuditChain.Serialize(landed), AuditChain.Serialize(head.Head));
        var retried = await Log.AppendAsync(record);
        var next = await Log.AppendAsync(Record("after-lost-reply"));

        Assert.Equal(landed, retried);
        Assert.Equal(landed.Index + 1, next.Index);
        Assert.Equal(landed.Hash, next.PreviousHash);
        Assert.Equal(next.Index + 1, (await fixture.AuditStore.ReadTipAsync()).Count);
        Assert.True((await Log.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Verify_reports_newest_entries_cut_off_even_when_the_log_no_longer_remembers_them()
    {
        var first = await Log.AppendAsync(Record("before-cut") with { EntryId = Guid.NewGuid().ToString("N") });
        await Log.AppendAsync(Record("to-cut-1"));
        await Log.AppendAsync(Record("to-cut-2"));
        Assert.True((await Log.VerifyAsync()).Intact);

        var cut = fixture.AuditStore.CutTail(2);
        try
        {
            var remembered = await Log.VerifyAsync();

            // A repeated id makes the log reread the store's end, as after a restart: only the signed head is left to tell.
            await Log.AppendAsync(Record("before-cut") with { EntryId = first.EntryId });
            var forgotten = await Log.VerifyAsync();

            Assert.False(remembered.Intact);
            Assert.Contains("removed", remembered.Reason);
            Assert.False(forgotten.Intact);
            Assert.Contains("signed head covers", forgotten.Reason);
            Assert.Contains("removed", forgotten.Reason);
        }
        finally
        {
            fixture.AuditStore.Restore(cut);
        }

        Assert.True((await Log.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task A_checkpoint_covering_entries_later_cut_off_is_reported()
    {
        await Log.AppendAsync(Record("checkpointed"));
        var checkpoint = await Log.CheckpointAsync();
        Assert.NotNull(checkpoint);
        Assert.Null(await Log.CheckpointAsync());
        Assert.Contains(checkpoint, await Log.CheckpointsAsync());
        Assert.True((await Log.VerifyAsync()).Intact);

        var cut = fixture.AuditStore.CutTail(1);
        try
        {
            var verdict = await Log.VerifyAsync();

            Assert.False(verdict.Intact);
            Assert.Contains("removed", verdict.Reason);
        }
        finally
        {
            fixture.AuditStore.Restore(cut);
        }
    }

    [Fact]
    public async Task Entries_written_before_ids_existed_keep_their_hash()
    {
        var legacy = AuditChain.Link(3, AuditChain.Genesis, Record("legacy") with { EntryId = "", Kind = "" });
        var json = AuditChain.Serialize(legacy);

        // As stored before entries had ids: the newer fields are absent, not empty.
        var read = AuditChain.Deserialize(json.Replace(",\"entryId\":\"\",\"kind\":\"\",\"completes\":\"\",\"parameters\":\"\",\"source\":\"\"", "", StringComparison.Ordinal))!;

        Assert.Equal(legacy.Hash, AuditChain.HashOf(read));
    }

    [Fact]
    public void Parameters_and_kind_are_covered_by_the_hash()
    {
        var entry = AuditChain.Link(7, AuditChain.Genesis, Record("x") with { EntryId = "e1", Parameters = "{\"venueId\":\"a\"}" });

        Assert.NotEqual(entry.Hash, AuditChain.HashOf(entry with { Parameters = "{\"venueId\":\"b\"}" }));
        Assert.NotEqual(entry.Hash, AuditChain.HashOf(entry with { Kind = AuditKinds.Outcome }));
        Assert.NotEqual(entry.Hash, AuditChain.HashOf(entry with { Source = "10.0.0.9" }));
    }

    private static AuditRecord Record(string target) =>
        new(DateTimeOffset.UtcNow, "tester", "admin", "POST /api/test", target, 403, "");
}
