using Agent.Dicom.Generator;

namespace Agent.Dicom.Tests;

public sealed class DictionaryGeneratedFilesTests
{
    [Fact]
    public void Generated_sources_match_what_the_renderer_makes_of_the_checked_in_TSVs()
    {
        var root = GeneratedFiles.FindRepositoryRoot(AppContext.BaseDirectory);
        var stale = new List<string>();
        foreach (var (path, expected) in GeneratedFiles.Render(root))
        {
            var full = Path.Combine(root, path);
            // A checkout with CRLF line ends (core.autocrlf) holds the same content.
            var actual = File.Exists(full) ? File.ReadAllText(full).Replace("\r\n", "\n", StringComparison.Ordinal) : "(missing)";
            if (actual != expected) stale.Add(path);
        }
        Assert.True(stale.Count == 0,
            $"Generated files differ from {GeneratedFiles.DictionaryFolder}/*.tsv: {string.Join(", ", stale)}. " +
            "Run `dotnet run --project src/Agent.Dicom.Generator` and commit the result.");
    }

    [Fact]
    public void Renderer_rejects_a_dictionary_row_with_an_unknown_VR()
    {
        var ex = Assert.Throws<FormatException>(() => DictionaryRenderer.Read("00100010\tXX\t1\tPatientName\tPatient's Name\t\n"));
        Assert.Contains("unknown VR 'XX'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Renderer_rejects_a_duplicate_keyword()
    {
        const string tsv = "00100010\tPN\t1\tPatientName\tPatient's Name\t\n00100011\tPN\t1\tPatientName\tOther\t\n";
        Assert.Throws<FormatException>(() => DictionaryRenderer.Read(tsv));
    }

    [Fact]
    public void Renderer_turns_x_digits_into_a_mask()
    {
        var row = Assert.Single(DictionaryRenderer.Read("60xx3000\tOB or OW\t1\tOverlayData\tOverlay Data\t\n"));
        Assert.Equal(0x60003000u, row.Tag.Tag);
        Assert.Equal(0xFF00FFFFu, row.Tag.Mask);
        Assert.Equal(["OB", "OW"], row.VRs);
    }
}
