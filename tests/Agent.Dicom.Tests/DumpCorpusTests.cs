using System.Diagnostics;
using System.Text.RegularExpressions;
using Agent.Dicom;
using Agent.Dicom.Dump;

namespace Agent.Dicom.Tests;

/// <summary>Our dump against DCMTK's dcmdump on the pydicom corpora: same elements, VRs, lengths, multiplicities and plain (ASCII, uncut) values.</summary>
public partial class DumpCorpusTests
{
    [GeneratedRegex(@"^(?<indent> *)\((?<tag>[0-9a-f]{4},[0-9a-f]{4})\) (?<vr>\w\w|\?\?) (?<value>.*?) *#\s*(?<len>\d+|u/l),\s*(?<vm>\d+) .+$")]
    private static partial Regex DumpLine();

    /// <summary>Top-level data set lines as "tag vr length vm" (sequences by tag and VR only: DCMTK prints their encoded length).</summary>
    private static List<string> Summarise(string dump)
    {
        var lines = new List<string>();
        bool inDataset = false;
        foreach (var raw in dump.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("# Dicom-Data-Set", StringComparison.Ordinal)) { inDataset = true; continue; }
            if (!inDataset) continue;
            var m = DumpLine().Match(line);
            if (!m.Success || m.Groups["indent"].Length > 0 || m.Groups["tag"].Value.StartsWith("fffe", StringComparison.Ordinal)) continue;
            var vr = m.Groups["vr"].Value is "??" ? "UN" : m.Groups["vr"].Value; // dcmdump's "??" is an unknown implicit VR
            var value = m.Groups["value"].Value;
            // Whole ASCII text and numbers are compared too; cut or non-ASCII values print differently by design.
            bool comparable = !value.Contains("...", StringComparison.Ordinal) && value.All(c => char.IsAscii(c) && !char.IsControl(c)) && !value.StartsWith('=')
                && vr is not ("OB" or "OW" or "UN" or "OF" or "OD" or "OL" or "OV" or "FL" or "FD" or "UI");
            lines.Add(vr is "SQ" || m.Groups["len"].Value == "u/l"
                ? $"{m.Groups["tag"].Value} {vr}"
                : $"{m.Groups["tag"].Value} {vr} {m.Groups["len"].Value} {m.Groups["vm"].Value}{(comparable ? " " + value : "")}");
        }
        return lines;
    }

    private static string Dcmdump(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("dcmdump", ["-q", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = stderr.Result;
        return process.ExitCode == 0 ? output : "";
    }

    [Fact]
    public void Top_level_elements_match_dcmdump_in_tag_vr_length_multiplicity_and_plain_values_across_the_corpus()
    {
        var report = new List<string>();
        int compared = 0;
        var paths = Directory.GetFiles(PydicomCorpus.CorpusFolder, "*.dcm").Concat(Directory.GetFiles(PydicomCorpus.CharsetFolder, "*.dcm"));
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            DicomFile file;
            // The dump shows the file as it is: UN stays UN, as in dcmdump.
            try { file = DicomFile.Open(path, new Agent.Dicom.IO.DicomReaderOptions { ReplaceUnknownVRWithDictionaryVR = false }); }
            catch (DicomFormatException) { continue; }
            var reference = Summarise(Dcmdump(path));
            if (reference.Count == 0) continue;
            using var writer = new StringWriter();
            DicomDumper.Dump(file, writer);
            var ours = Summarise(writer.ToString());
            var name = Path.GetFileName(path);
            foreach (var d in reference.Except(ours)) report.Add($"{name}: dcmdump {d}, ours {ours.FirstOrDefault(o => o[..9] == d[..9]) ?? "missing"}");
            foreach (var d in ours.Except(reference)) if (!reference.Any(r => r[..9] == d[..9])) report.Add($"{name}: only ours {d}");
            compared++;
        }
        Assert.True(compared >= 70, $"compared {compared}");
        Assert.True(report.Count == 0, $"{report.Count} differences:\n" + string.Join('\n', report.Take(60)));
    }
}
