using Agent.Host.Configuration;
using Agent.Host.Ingest;

namespace Agent.Host.Tests;

public sealed class InstanceStoreTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("agent-store-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static readonly InstanceKeys Keys = new("1.2.3", "1.2.3.4", "1.2.3.4.5");

    private static async Task<IncomingInstance> WriteAsync(InstanceStore store, byte[] content)
    {
        var incoming = store.Begin();
        await incoming.Stream.WriteAsync(content);
        await incoming.FlushToDiskAsync(CancellationToken.None);
        return incoming;
    }

    [Fact]
    public async Task A_committed_instance_lands_under_study_series_and_sop_uid()
    {
        var store = new InstanceStore(_data, DuplicatePolicy.KeepFirst);
        store.RemoveIncomplete();
        await using var incoming = await WriteAsync(store, [1, 2, 3]);
        var stored = store.Commit(incoming, Keys);
        Assert.Equal(Path.Combine(_data, "instances", "1.2.3", "1.2.3.4", "1.2.3.4.5.dcm"), stored.FullPath);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(stored.FullPath));
        Assert.False(stored.WasDuplicate);
        Assert.Equal(3, stored.Size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[] { 1, 2, 3 })), stored.Sha256);
        Assert.Empty(Directory.GetFiles(store.IncomingFolder));
    }

    [Fact]
    public async Task An_instance_that_is_abandoned_mid_write_leaves_no_dcm_file()
    {
        var store = new InstanceStore(_data, DuplicatePolicy.KeepFirst);
        store.RemoveIncomplete();
        await using (var incoming = store.Begin())
        {
            await incoming.Stream.WriteAsync(new byte[1000]);
            // association aborted: disposed without commit
        }
        Assert.Empty(Directory.GetFiles(_data, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Temporary_files_left_by_a_crash_are_removed_at_start_and_never_become_instances()
    {
        var store = new InstanceStore(_data, DuplicatePolicy.KeepFirst);
        store.RemoveIncomplete();
        // What a kill -9 in the middle of a write leaves: a partial temporary file, not closed, not renamed.
        await File.WriteAllBytesAsync(Path.Combine(store.IncomingFolder, "0123.tmp"), new byte[10]);
        var restarted = new InstanceStore(_data, DuplicatePolicy.KeepFirst);
        Assert.Equal(1, restarted.RemoveIncomplete());
        Assert.Empty(restarted.EnumerateStored());
        Assert.Empty(Directory.GetFiles(restarted.IncomingFolder));
    }

    [Fact]
    public async Task Keep_first_policy_keeps_the_stored_file_and_reports_the_duplicate()
    {
        var store = new InstanceStore(_data, DuplicatePolicy.KeepFirst);
        store.RemoveIncomplete();
        await using (var first = await WriteAsync(store, [1])) store.Commit(first, Keys);
        await using var second = await WriteAsync(store, [2, 2]);
        var stored = store.Commit(second, Keys);
        Assert.True(stored.WasDuplicate);
        Assert.Equal([1], await File.ReadAllBytesAsync(stored.FullPath));
        Assert.Empty(Directory.GetFiles(store.IncomingFolder));
    }

    [Fact]
    public async Task Overwrite_policy_replaces_the_stored_file()
    {
        var store = new InstanceStore(_data, DuplicatePolicy.Overwrite);
        store.RemoveIncomplete();
        await using (var first = await WriteAsync(store, [1])) store.Commit(first, Keys);
        await using var second = await WriteAsync(store, [2, 2]);
        var stored = store.Commit(second, Keys);
        Assert.True(stored.WasDuplicate);
        Assert.Equal([2, 2], await File.ReadAllBytesAsync(stored.FullPath));
    }

    [Fact]
    public async Task An_unflushed_instance_cannot_be_committed()
    {
        var store = new InstanceStore(_data, DuplicatePolicy.KeepFirst);
        store.RemoveIncomplete();
        await using var incoming = store.Begin();
        await incoming.Stream.WriteAsync(new byte[] { 1 });
        Assert.Throws<InvalidOperationException>(() => store.Commit(incoming, Keys));
    }
}
