using System.Collections.Concurrent;
using System.Net;
using Agent.Dicom.Network.Association;
using Agent.Host.Hosting;
using Agent.Storage.Provenance;

namespace Agent.Host.Ingest;

/// <summary>
/// Provenance of associations: a row per association that stores something (opened at its first C-STORE, closed
/// with its counts when the association ends). A process killed mid-association leaves rows that start-up closes.
/// </summary>
public sealed class AssociationTracker(DatabaseAccess database, string node)
{
    private readonly ConcurrentDictionary<string, Entry> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _closing = new();

    public string Node { get; } = node;

    private sealed class Entry
    {
        public required Lazy<Task<long>> Row { get; init; }
        public int Stored;
        public int Failed;
        public long Bytes;
    }

    /// <summary>The database id of this association's row, created on first use.</summary>
    public Task<long> RowIdAsync(AssociationInfo association, CancellationToken cancellationToken)
    {
        var entry = _open.GetOrAdd(association.Id, _ => new Entry
        {
            Row = new Lazy<Task<long>>(() => new AssociationRepository(database.DataSource).StartAsync(new AssociationStart(
                association.CallingAeTitle, association.CalledAeTitle, association.RemoteEndPoint?.Address.ToString() ?? "unknown",
                association.RemoteEndPoint?.Port, association.IsTls, Node), CancellationToken.None)),
        });
        var row = entry.Row.Value;
        if (row.IsFaulted) _open.TryRemove(association.Id, out _); // the next C-STORE tries again
        return row.WaitAsync(cancellationToken);
    }

    public void Count(AssociationInfo association, bool stored, long bytes)
    {
        if (!_open.TryGetValue(association.Id, out var entry)) return;
        Interlocked.Increment(ref stored ? ref entry.Stored : ref entry.Failed);
        Interlocked.Add(ref entry.Bytes, bytes);
    }

    /// <summary>Called by the server when an association ends; writes the end record in the background.</summary>
    public void Closed(AssociationInfo association, string? abortReason)
    {
        if (!_open.TryRemove(association.Id, out var entry) || !entry.Row.IsValueCreated) return;
        var task = CloseAsync(entry, abortReason is null ? "released" : "aborted: " + abortReason);
        _closing.TryAdd(task, 0);
        _ = task.ContinueWith(t => _closing.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task CloseAsync(Entry entry, string reason)
    {
        try
        {
            var id = await entry.Row.Value.ConfigureAwait(false);
            await new AssociationRepository(database.DataSource)
                .EndAsync(id, new AssociationEnd(reason, entry.Stored, entry.Failed, entry.Bytes), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // Provenance of the association's end is best effort; start-up closes rows left open.
        }
    }

    /// <summary>Waits for pending end records (at shutdown, before the database stops).</summary>
    public Task DrainAsync() => Task.WhenAll(_closing.Keys);

    public static string DefaultNode(IPAddress bindAddress, int port, string aeTitle) =>
        $"{Environment.MachineName}:{aeTitle}@{bindAddress}:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
