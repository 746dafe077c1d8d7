using System.Collections.Frozen;

namespace Agent.Dicom;

/// <summary>A registered UID of PS3.6 Annex A (SOP class, transfer syntax, frame of reference, coding scheme...).</summary>
public sealed partial record DicomUid(string Uid, string Name, string Keyword, DicomUidType Type, bool IsRetired)
{
    /// <summary>The UID itself, so a <see cref="DicomUid"/> can be written wherever a UID string is expected.</summary>
    public override string ToString() => Uid;
}

/// <summary>Lookups over the generated UID registry.</summary>
public static partial class DicomUids
{
    /// <summary>Finds a registered UID; trailing NUL/space padding of a UI value is ignored.</summary>
    public static bool TryLookup(string uid, out DicomUid entry) => Index.ByUid.TryGetValue(uid.TrimEnd('\0', ' '), out entry!);

    /// <summary>The registered entry, or null for a UID that is not in PS3.6 (most instance UIDs).</summary>
    public static DicomUid? Find(string uid) => TryLookup(uid, out var e) ? e : null;

    public static bool TryLookupKeyword(string keyword, out DicomUid entry) => Index.ByKeyword.TryGetValue(keyword, out entry!);

    /// <summary>Name for display, e.g. "CT Image Storage"; the UID itself when unregistered.</summary>
    public static string NameOf(string uid) => TryLookup(uid, out var e) ? e.Name : uid.TrimEnd('\0', ' ');

    /// <summary>
    /// True for a registered storage SOP class (PS3.4 Annex B and the other "... Storage" classes such as Hanging
    /// Protocol or RT Beams Delivery Instruction Storage); the DICOMDIR class is not one sent over the network.
    /// </summary>
    public static bool IsStorageSopClass(string uid) => TryLookup(uid, out var e) && Index.IsStorage(e);

    /// <summary>The storage SOP classes' arc (PS3.4 B.5): every "1.2.840.10008.5.1.4.1.1.x" class is a storage class.</summary>
    public const string StorageSopClassArc = "1.2.840.10008.5.1.4.1.1.";

    /// <summary>
    /// True for any UID under <see cref="StorageSopClassArc"/>, registered or not: an SCP that accepts "all storage"
    /// also takes classes newer than this registry.
    /// </summary>
    public static bool IsUnderStorageArc(string uid) => uid.StartsWith(StorageSopClassArc, StringComparison.Ordinal);

    /// <summary>Every non-retired storage SOP class of the registry, e.g. for an SCP that accepts them all.</summary>
    public static IReadOnlyList<DicomUid> StorageSopClasses => Index.Storage;

    // A nested class so the indexes are built after the generated fields, whatever order the partial files compile in.
    private static class Index
    {
        public static bool IsStorage(DicomUid u) =>
            u.Type == DicomUidType.SopClass && u.Uid != "1.2.840.10008.1.3.10" &&
            (IsUnderStorageArc(u.Uid) || u.Keyword.EndsWith("Storage", StringComparison.Ordinal));

        public static readonly DicomUid[] Storage = All.Where(u => !u.IsRetired && IsStorage(u)).ToArray();

        public static readonly FrozenDictionary<string, DicomUid> ByUid = All.ToFrozenDictionary(u => u.Uid, StringComparer.Ordinal);

        public static readonly FrozenDictionary<string, DicomUid> ByKeyword =
            All.Where(u => u.Keyword.Length > 0).ToFrozenDictionary(u => u.Keyword, StringComparer.Ordinal);
    }
}
