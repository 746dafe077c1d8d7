using System.Collections.Frozen;

namespace Agent.Dicom;

/// <summary>A registered UID of PS3.6 Annex A (SOP class, transfer syntax, frame of reference, coding scheme...).</summary>
public sealed record DicomUid(string Uid, string Name, string Keyword, DicomUidType Type, bool IsRetired)
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

    // A nested class so the indexes are built after the generated fields, whatever order the partial files compile in.
    private static class Index
    {
        public static readonly FrozenDictionary<string, DicomUid> ByUid = All.ToFrozenDictionary(u => u.Uid, StringComparer.Ordinal);

        public static readonly FrozenDictionary<string, DicomUid> ByKeyword =
            All.Where(u => u.Keyword.Length > 0).ToFrozenDictionary(u => u.Keyword, StringComparer.Ordinal);
    }
}
