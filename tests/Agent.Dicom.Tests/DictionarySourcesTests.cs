using System.Globalization;

namespace Agent.Dicom.Tests;

/// <summary>
/// The checked-in dictionary must still say what its public source says: DCMTK's dicom.dic (Debian package dcmtk,
/// installed by install/test). Guards against hand edits of the TSV that the drift test alone would accept.
/// </summary>
public sealed class DictionarySourcesTests
{
    private const string DcmtkDictionary = "/usr/share/libdcmtk17/dicom.dic";

    // Where pydicom (which copies PS3.6 text) and DCMTK disagree, the importer follows pydicom.
    private static readonly HashSet<uint> RetiredPerPydicom = [0x213000A0, 0x213000C0];

    [Fact]
    public void Every_plain_DCMTK_entry_has_the_same_keyword_VM_VR_and_retired_flag_here()
    {
        Assert.True(File.Exists(DcmtkDictionary), $"{DcmtkDictionary} missing: install dcmtk (install/test does)");
        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var line in File.ReadLines(DcmtkDictionary))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            var f = line.Split('\t');
            if (f.Length < 5 || f[0].Contains('-', StringComparison.Ordinal) || f[4] is "PRIVATE" or "ILLEGAL" or "GENERIC") continue;
            var tag = new DicomTag(uint.Parse(f[0][1..5] + f[0][6..10], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            checkedCount++;
            if (!DicomDictionary.TryLookup(tag, out var e)) { problems.Add($"{tag} {f[2]} missing"); continue; }
            var keyword = f[2].Replace("RETIRED_", "", StringComparison.Ordinal);
            if (e.Keyword != keyword) problems.Add($"{tag}: keyword {e.Keyword}, DCMTK {keyword}");
            if (e.VM != f[3]) problems.Add($"{tag}: VM {e.VM}, DCMTK {f[3]}");
            var retired = f[4].Contains("retired", StringComparison.Ordinal) || RetiredPerPydicom.Contains(tag.Value);
            if (e.IsRetired != retired) problems.Add($"{tag}: retired {e.IsRetired}, DCMTK {f[4]}");
            var vrs = string.Join(" or ", e.VRs.Select(v => v.Code));
            var expected = f[1] switch
            {
                "ox" or "px" => "OB or OW",
                "xs" => "US or SS",
                "lt" => vrs is "US or OW" or "US or SS or OW" ? vrs : "US or SS or OW",
                "up" => "UL",
                "na" => "",
                _ => f[1],
            };
            if (vrs != expected) problems.Add($"{tag}: VR {vrs}, DCMTK {f[1]}");
        }
        Assert.True(checkedCount > 4000, $"only {checkedCount} DCMTK entries read");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(50)));
    }

    [Theory]
    [InlineData("PatientName", 0x00100010u)]
    [InlineData("(0010,0010)", 0x00100010u)]
    [InlineData("0020000D", 0x0020000Du)]
    [InlineData(" StudyInstanceUID ", 0x0020000Du)]
    [InlineData("OverlayData", 0x60003000u)]
    public void Tags_parse_from_keywords_or_hex(string text, uint expected)
    {
        Assert.True(DicomDictionary.TryParseTag(text, out var tag));
        Assert.Equal(expected, tag.Value);
    }

    [Fact]
    public void Unknown_keywords_do_not_parse_as_tags()
    {
        Assert.False(DicomDictionary.TryParseTag("NoSuchKeyword", out _));
    }
}
