using System.Collections.Frozen;

namespace Agent.Dicom;

/// <summary>
/// The public data dictionary of PS3.6, generated from <c>Dictionary/dicom-dictionary.tsv</c> into
/// <c>DicomDictionary.Generated.cs</c>; lookups also cover repeating groups, group lengths and private creators.
/// </summary>
public static partial class DicomDictionary
{
    private static readonly FrozenDictionary<uint, DicomDictionaryEntry> Exact =
        GeneratedEntries.Where(e => e.Mask == 0xFFFFFFFF).ToFrozenDictionary(e => e.Tag);

    private static readonly DicomDictionaryEntry[] Repeating = GeneratedEntries.Where(e => e.Mask != 0xFFFFFFFF).ToArray();

    private static readonly FrozenDictionary<string, DicomDictionaryEntry> ByKeyword =
        GeneratedEntries.Where(e => e.Keyword.Length > 0).GroupBy(e => e.Keyword, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private static readonly DicomDictionaryEntry GroupLength = new(0, 0, [DicomVR.UL], "1", "", "Group Length", false);
    private static readonly DicomDictionaryEntry PrivateCreator = new(0, 0, [DicomVR.LO], "1", "", "Private Creator", false);

    public static IReadOnlyList<DicomDictionaryEntry> Entries => GeneratedEntries;

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

    public static bool TryLookup(string keyword, out DicomDictionaryEntry entry) => ByKeyword.TryGetValue(keyword, out entry!);

    /// <summary>The VR to use for a tag in implicit VR data or when adding an element without a VR: UN when unknown.</summary>
    public static DicomVR DefaultVR(DicomTag tag) => TryLookup(tag, out var e) ? e.VR : DicomVR.UN;

    public static string Keyword(DicomTag tag) => TryLookup(tag, out var e) ? e.Keyword : "";
}
