using Agent.Dicom;
using Agent.Host.Hosting;
using Agent.Storage.Provenance;
using Npgsql;

namespace Agent.Host.Ingest;

/// <summary>
/// Start-up repair after a crash. Acknowledgement comes only after both the file and its index row exist, but a kill
/// between the rename and the index commit leaves a stored, unacknowledged file without a row; this indexes such files
/// (the sender will resend, and the duplicate policy makes that idempotent), so stored == indexed again. It also
/// closes association rows this node left open.
/// </summary>
public sealed class StoreReconciler(InstanceStore store, IInstanceHeaderReader reader, IInstanceIndex index, DatabaseAccess database)
{
    /// <summary>Returns how many files were indexed.</summary>
    public async Task<int> ReconcileAsync(string node, CancellationToken cancellationToken)
    {
        await new AssociationRepository(database.DataSource).CloseOrphansAsync(node, cancellationToken).ConfigureAwait(false);

        var indexed = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = database.DataSource.CreateCommand("SELECT sop_instance_uid FROM instances"))
        await using (var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false)) indexed.Add(rows.GetString(0));
        }

        var repaired = 0;
        foreach (var path in store.EnumerateStored())
        {
            var sop = Path.GetFileNameWithoutExtension(path);
            if (indexed.Contains(sop)) continue;
            InstanceHeader header;
            try
            {
                header = await reader.ReadAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (DicomFormatException)
            {
                continue; // only complete files are ever renamed into place; an unreadable one is left for a human
            }
            var keys = InstanceKeys.TryCreate(header.StudyInstanceUid, header.SeriesInstanceUid, header.SopInstanceUid);
            if (keys is null || keys.SopInstanceUid != sop) continue;
            var info = new FileInfo(path);
            var sha = await Sha256Async(path, cancellationToken).ConfigureAwait(false);
            var relative = Path.GetRelativePath(store.DataFolder, path);
            await index.IndexAsync(new IndexedInstance(header, keys, new StoredFile(path, relative, info.Length, sha, false), null,
                new DateTimeOffset(info.LastWriteTimeUtc)), cancellationToken).ConfigureAwait(false);
            repaired++;
        }
        return repaired;
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
