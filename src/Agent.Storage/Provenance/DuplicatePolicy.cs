namespace Agent.Storage.Provenance;

/// <summary>
/// What <see cref="InstanceIndex.IndexInstanceAsync"/> does when a SOP Instance UID is already indexed with
/// <em>different</em> content (another sha256). Identical content is always an idempotent success.
/// Every duplicate arrival is recorded in <c>instance_duplicates</c>.
/// </summary>
public enum DuplicatePolicy
{
    /// <summary>Keep the first instance; the index row is unchanged and the caller must keep the existing file.</summary>
    KeepFirst,

    /// <summary>The newer instance replaces the row (file path, size, hash, attributes, series).</summary>
    Overwrite,
}

/// <summary>How an instance was indexed.</summary>
public enum IndexOutcome
{
    /// <summary>A new SOP instance.</summary>
    Inserted,

    /// <summary>Already indexed with the same sha256: nothing changed (safe to acknowledge again).</summary>
    IdenticalDuplicate,

    /// <summary>Already indexed with other content; <see cref="DuplicatePolicy.KeepFirst"/> kept the first.</summary>
    ConflictKeptFirst,

    /// <summary>Already indexed with other content; <see cref="DuplicatePolicy.Overwrite"/> replaced it.</summary>
    ConflictOverwritten,
}

/// <summary>Result of indexing one instance. <see cref="FilePath"/> and <see cref="Sha256"/> are what the index now points to.</summary>
public sealed record IndexResult(IndexOutcome Outcome, long InstanceId, long SeriesId, long StudyId, string FilePath, string Sha256);
