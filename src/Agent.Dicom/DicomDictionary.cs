namespace Agent.Dicom;

/// <summary>
/// The public data dictionary of PS3.6 and DCMTK's private dictionary, generated from <c>Dictionary/*.tsv</c> into
/// <c>DicomDictionary*.Generated.cs</c>; lookups also cover repeating groups, group lengths and private creators.
/// </summary>
public static partial class DicomDictionary
{
    // All static state lives in this file (partial classes across files have no defined initialization order);
    // the generated files only contribute constants.
    private static readonly DicomDictionaryEntry[] GeneratedEntries = CreateGeneratedEntries();

    // Plain dictionaries (never written after construction, so safe to share): building frozen ones costs tens of
    // milliseconds at startup, which every CLI invocation would pay.
    private static readonly Dictionary<uint, DicomDictionaryEntry> Exact = BuildExact();

    private static readonly DicomDictionaryEntry[] Repeating = GeneratedEntries.Where(e => e.Mask != 0xFFFFFFFF).ToArray();

    private static readonly Dictionary<string, DicomDictionaryEntry> ByKeyword = BuildByKeyword();

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

    /// <summary>
    /// Reads a tag written as a keyword ("PatientName", "OverlayData" = (6000,3000)) or in hex ("(0010,0010)",
    /// "0010,0010", "00100010"), as configuration files and the command line write them.
    /// </summary>
    public static bool TryParseTag(string text, out DicomTag tag)
    {
        if (DicomTag.TryParse(text, out tag)) return true;
        if (TryLookup(text.Trim(), out var entry)) { tag = new DicomTag(entry.Tag); return true; }
        tag = default;
        return false;
    }

    /// <summary>The VR to use for a tag in implicit VR data or when adding an element without a VR: UN when unknown.</summary>
    public static DicomVR DefaultVR(DicomTag tag) => TryLookup(tag, out var e) ? e.VR : DicomVR.UN;

    /// <summary>As <see cref="DefaultVR(DicomTag)"/>, consulting the private dictionary when the creator is known.</summary>
    public static DicomVR DefaultVR(DicomTag tag, string? privateCreator) =>
        privateCreator is not null && TryLookupPrivate(privateCreator, tag, out var p) ? p.VR : DefaultVR(tag);

    public static string Keyword(DicomTag tag) => TryLookup(tag, out var e) ? e.Keyword : "";

    private static Dictionary<uint, DicomDictionaryEntry> BuildExact()
    {
        var d = new Dictionary<uint, DicomDictionaryEntry>(GeneratedEntries.Length);
        foreach (var e in GeneratedEntries)
            if (e.Mask == 0xFFFFFFFF) d[e.Tag] = e;
        return d;
    }

    private static Dictionary<string, DicomDictionaryEntry> BuildByKeyword()
    {
        var d = new Dictionary<string, DicomDictionaryEntry>(GeneratedEntries.Length, StringComparer.Ordinal);
        foreach (var e in GeneratedEntries)
            if (e.Keyword.Length > 0) d.TryAdd(e.Keyword, e);
        return d;
    }

    private static DicomDictionaryEntry[] CreateGeneratedEntries()
    {
        var shared = new Dictionary<string, DicomVR[]>(StringComparer.Ordinal);
        var entries = new List<DicomDictionaryEntry>(GeneratedEntryCount);
        foreach (var f in DictionaryTable.Rows(GeneratedTable, 7))
        {
            entries.Add(new DicomDictionaryEntry(DictionaryTable.Hex(f[0]), DictionaryTable.Hex(f[1]), DictionaryTable.VRs(f[2], shared),
                f[3], DictionaryTable.Text(f[4]), DictionaryTable.Text(f[5]), f[6] == "R"));
        }
        return [.. entries];
    }

    private static PrivateEntry[] CreateGeneratedPrivateEntries()
    {
        var shared = new Dictionary<string, DicomVR[]>(StringComparer.Ordinal);
        var entries = new List<PrivateEntry>(GeneratedPrivateEntryCount);
        foreach (var f in DictionaryTable.Rows(GeneratedPrivateTable, 6))
        {
            entries.Add(new PrivateEntry(f[0], new DicomDictionaryEntry(DictionaryTable.Hex(f[1]), DictionaryTable.Hex(f[2]),
                DictionaryTable.VRs(f[3], shared), f[4], "", f[5], false)));
        }
        return [.. entries];
    }

    /// <summary>One row of the private dictionary: the creator string and the entry it defines.</summary>
    private readonly record struct PrivateEntry(string Creator, DicomDictionaryEntry Entry);

    /// <summary>Built on first private lookup only, so ordinary public lookups never pay for it.</summary>
    private static class PrivateIndex
    {
        private static readonly PrivateEntry[] All = CreateGeneratedPrivateEntries();

        public static readonly Dictionary<(string Creator, ushort Group, byte Element), DicomDictionaryEntry> Exact =
            All.Where(p => (p.Entry.Mask & 0xFFFF0000) == 0xFFFF0000)
                .ToDictionary(p => (p.Creator, (ushort)(p.Entry.Tag >> 16), (byte)p.Entry.Tag), p => p.Entry);

        public static readonly (string Creator, DicomDictionaryEntry Entry)[] Masked =
            All.Where(p => (p.Entry.Mask & 0xFFFF0000) != 0xFFFF0000).Select(p => (p.Creator, p.Entry)).ToArray();
    }
}
