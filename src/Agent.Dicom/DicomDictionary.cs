using System.Collections.Frozen;

namespace Agent.Dicom;

/// <summary>
/// The public data dictionary of PS3.6 and DCMTK's private dictionary, generated from <c>Dictionary/*.tsv</c> into
/// <c>DicomDictionary*.Generated.cs</c>; lookups also cover repeating groups, group lengths and private creators.
/// </summary>
public static partial class DicomDictionary
{
    // All static state lives in this file (partial classes across files have no defined initialization order);
    // the generated files only contribute factory methods and nested classes.
    private static readonly DicomDictionaryEntry[] GeneratedEntries = CreateGeneratedEntries();

    private static readonly FrozenDictionary<uint, DicomDictionaryEntry> Exact =
        GeneratedEntries.Where(e => e.Mask == 0xFFFFFFFF).ToFrozenDictionary(e => e.Tag);

    private static readonly DicomDictionaryEntry[] Repeating = GeneratedEntries.Where(e => e.Mask != 0xFFFFFFFF).ToArray();

    private static readonly FrozenDictionary<string, DicomDictionaryEntry> ByKeyword =
        GeneratedEntries.Where(e => e.Keyword.Length > 0).GroupBy(e => e.Keyword, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private static readonly DicomDictionaryEntry GroupLength = new(0x00000000, 0x0000FFFF, [DicomVR.UL], "1", "", "Group Length", false);
    private static readonly DicomDictionaryEntry PrivateCreator = new(0x00010000, 0x0001FF00, [DicomVR.LO], "1", "", "Private Creator", false);

    /// <summary>Every public entry, in tag order (repeating groups sorted by their base tag).</summary>
    public static IReadOnlyList<DicomDictionaryEntry> Entries => GeneratedEntries;

    /// <summary>
    /// Finds the public entry of a tag: exact tags, then group length (gggg,0000), private creators (gggg,0010-00FF) and
    /// repeating groups such as (60xx,3000). Private data elements need their creator: see <see cref="TryLookupPrivate"/>.
    /// </summary>
    public static bool TryLookup(DicomTag tag, out DicomDictionaryEntry entry)
    {
        if (Exact.TryGetValue(tag.Value, out entry!)) return true;
        if (tag.IsGroupLength) { entry = GroupLength; return true; }
        if (tag.IsPrivateCreator) { entry = PrivateCreator; return true; }
        if (!tag.IsPrivate)
        {
            foreach (var e in Repeating)
                if (e.Matches(tag)) { entry = e; return true; }
        }
        entry = null!;
        return false;
    }

    /// <summary>Finds an entry by its PS3.6 keyword, e.g. "PatientName" or "OverlayData" (repeating).</summary>
    public static bool TryLookup(string keyword, out DicomDictionaryEntry entry) => ByKeyword.TryGetValue(keyword, out entry!);

    /// <summary>
    /// Finds a private data element by the value of its private creator element, e.g. ("SIEMENS CSA HEADER", (0029,1010)).
    /// The block byte of the element is ignored, since the creator may have reserved any block (0029,10xx-FFxx).
    /// </summary>
    public static bool TryLookupPrivate(string creator, DicomTag tag, out DicomDictionaryEntry entry)
    {
        entry = null!;
        if (!tag.IsPrivate || tag.Element < 0x1000) return false;
        var key = (creator.Trim(' ', '\0'), tag.Group, (byte)tag.Element);
        if (PrivateIndex.Exact.TryGetValue(key, out entry!)) return true;
        foreach (var (c, e) in PrivateIndex.Masked)
            if (e.Matches(tag) && string.Equals(c, key.Item1, StringComparison.Ordinal)) { entry = e; return true; }
        return false;
    }

    /// <summary>The VR to use for a tag in implicit VR data or when adding an element without a VR: UN when unknown.</summary>
    public static DicomVR DefaultVR(DicomTag tag) => TryLookup(tag, out var e) ? e.VR : DicomVR.UN;

    /// <summary>As <see cref="DefaultVR(DicomTag)"/>, consulting the private dictionary when the creator is known.</summary>
    public static DicomVR DefaultVR(DicomTag tag, string? privateCreator) =>
        privateCreator is not null && TryLookupPrivate(privateCreator, tag, out var p) ? p.VR : DefaultVR(tag);

    public static string Keyword(DicomTag tag) => TryLookup(tag, out var e) ? e.Keyword : "";

    /// <summary>One row of the private dictionary: the creator string and the entry it defines.</summary>
    private readonly record struct PrivateEntry(string Creator, DicomDictionaryEntry Entry);

    /// <summary>Built on first private lookup only, so ordinary public lookups never pay for it.</summary>
    private static class PrivateIndex
    {
        private static readonly PrivateEntry[] All = CreateGeneratedPrivateEntries();

        public static readonly FrozenDictionary<(string Creator, ushort Group, byte Element), DicomDictionaryEntry> Exact =
            All.Where(p => (p.Entry.Mask & 0xFFFF0000) == 0xFFFF0000)
                .ToFrozenDictionary(p => (p.Creator, (ushort)(p.Entry.Tag >> 16), (byte)p.Entry.Tag), p => p.Entry);

        public static readonly (string Creator, DicomDictionaryEntry Entry)[] Masked =
            All.Where(p => (p.Entry.Mask & 0xFFFF0000) != 0xFFFF0000).Select(p => (p.Creator, p.Entry)).ToArray();
    }
}
