using Agent.Storage.Files;
using Agent.Host.Configuration;

namespace Agent.Host.Ingest;

/// <summary>
/// The durable instance store under the data folder.
/// <para>A received dataset is streamed into <c>incoming/&lt;random&gt;.tmp</c> (same file system as
/// <c>instances/</c>, so the final rename is atomic), fsynced, and only then, once its UIDs have been read back from the
/// file and validated, renamed to <c>instances/&lt;study&gt;/&lt;series&gt;/&lt;sop&gt;.dcm</c>; the directories whose
/// entries changed are fsynced. A crash at any point leaves either no .dcm or a complete one; leftover .tmp files are
/// never acknowledged and are removed at start-up (<see cref="RemoveIncomplete"/>).</para>
/// <para>Duplicates (a SOP Instance UID already stored): <see cref="DuplicatePolicy.KeepFirst"/> keeps the stored file
/// and discards the new copy; <see cref="DuplicatePolicy.Overwrite"/> replaces it atomically. Either way the sender gets
/// success, because it would otherwise retry an instance we already hold.</para>
/// </summary>
public sealed class InstanceStore
{
    private readonly DuplicatePolicy _duplicatePolicy;

    public InstanceStore(string dataFolder, DuplicatePolicy duplicatePolicy)
    {
        DataFolder = Path.GetFullPath(dataFolder);
        IncomingFolder = Path.Combine(DataFolder, "incoming");
        InstancesFolder = Path.Combine(DataFolder, "instances");
        _duplicatePolicy = duplicatePolicy;
    }

    public string DataFolder { get; }
    public string IncomingFolder { get; }
    public string InstancesFolder { get; }

    /// <summary>Creates the folders (durably) and deletes temporary files a crash left behind; returns how many.</summary>
    public int RemoveIncomplete()
    {
        EnsureDirectory(DataFolder);
        EnsureDirectory(IncomingFolder);
        EnsureDirectory(InstancesFolder);
        var removed = 0;
        foreach (var tmp in Directory.EnumerateFiles(IncomingFolder, "*.tmp"))
        {
            File.Delete(tmp);
            removed++;
        }
        if (removed > 0) DirectorySync.Flush(IncomingFolder);
        return removed;
    }

    /// <summary>Opens a new temporary file for an arriving instance.</summary>
    public IncomingInstance Begin()
    {
        var path = Path.Combine(IncomingFolder, Guid.NewGuid().ToString("N") + ".tmp");
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read,
            BufferSize = 1 << 16,
            Options = FileOptions.Asynchronous,
        });
        return new IncomingInstance(path, stream);
    }

    /// <summary>
    /// Moves a fully written, flushed instance to its final place. The caller has read <paramref name="keys"/> from
    /// the file itself. Returns the final path and whether an instance with that SOP Instance UID was already stored.
    /// </summary>
    public StoredFile Commit(IncomingInstance incoming, InstanceKeys keys)
    {
        if (!incoming.IsFlushed) throw new InvalidOperationException("the instance must be flushed to disk before it is committed");
        var finalPath = Path.Combine(DataFolder, keys.RelativePath);
        // Defence in depth: validated UIDs cannot escape, but never trust a path we did not check.
        if (!finalPath.StartsWith(InstancesFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidOperationException($"refusing to write outside the instance store: {finalPath}");
        var seriesFolder = Path.GetDirectoryName(finalPath)!;
        EnsureDirectory(Path.GetDirectoryName(seriesFolder)!);
        EnsureDirectory(seriesFolder);
        var size = incoming.Length;
        bool existed;
        if (_duplicatePolicy == DuplicatePolicy.Overwrite)
        {
            existed = File.Exists(finalPath);
            File.Move(incoming.Path, finalPath, overwrite: true); // rename(2): atomic replace
        }
        else
        {
            try
            {
                File.Move(incoming.Path, finalPath, overwrite: false); // fails if present: never clobbers
                existed = false;
            }
            catch (IOException) when (File.Exists(finalPath))
            {
                File.Delete(incoming.Path);
                existed = true;
            }
        }
        DirectorySync.Flush(seriesFolder);
        incoming.MarkCommitted();
        // For a kept-first duplicate, Size/Sha256 describe the copy just received (the index compares it with the first).
        return new StoredFile(finalPath, keys.RelativePath, size, incoming.Sha256!, existed);
    }

    /// <summary>Every stored instance file (for start-up reconciliation with the index).</summary>
    public IEnumerable<string> EnumerateStored() =>
        Directory.Exists(InstancesFolder)
            ? Directory.EnumerateFiles(InstancesFolder, "*.dcm", SearchOption.AllDirectories)
            : [];

    /// <summary>Creates a directory and fsyncs its parent so the new entry is durable.</summary>
    private static void EnsureDirectory(string path)
    {
        if (Directory.Exists(path)) return;
        var parent = Path.GetDirectoryName(path);
        if (parent is not null) EnsureDirectory(parent);
        Directory.CreateDirectory(path);
        if (parent is not null) DirectorySync.Flush(parent);
    }
}

/// <summary>Where an instance ended up.</summary>
public sealed record StoredFile(string FullPath, string RelativePath, long Size, string Sha256, bool WasDuplicate);
