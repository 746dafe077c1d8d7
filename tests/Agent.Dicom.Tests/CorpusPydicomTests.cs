using System.Globalization;
using System.Text;
using Agent.Dicom.Tests.Support;

namespace Agent.Dicom.Tests;

/// <summary>Our parse of each corpus file has the same element tree as pydicom's: tags, item counts, value lengths.</summary>
public class CorpusPydicomTests
{
    private const string Script = """
import sys, pydicom
from pydicom.sequence import Sequence

def walk(ds, path, out):
    for tag in sorted(ds.keys()):
        if tag.element == 0:
            continue
        raw = ds.get_item(tag)
        elem = ds[tag]
        if elem.VR == 'SQ' and isinstance(elem.value, (Sequence, list)):
            out.append(f"{path}{tag.group:04X}{tag.element:04X} SQ {len(elem.value)}")
            for i, item in enumerate(elem.value):
                walk(item, f"{path}{tag.group:04X}{tag.element:04X}[{i}]/", out)
        else:
            length = getattr(raw, 'length', None)
            if length is None:
                # already converted by pydicom (e.g. the character set): only the tag can be compared
                out.append(f"{path}{tag.group:04X}{tag.element:04X} ?")
            elif length == 0xFFFFFFFF:
                out.append(f"{path}{tag.group:04X}{tag.element:04X} F")
            else:
                out.append(f"{path}{tag.group:04X}{tag.element:04X} {length}")

for name in sys.stdin.read().split('\n'):
    if not name:
        continue
    try:
        ds = pydicom.dcmread(name)
        out = []
        walk(ds, '', out)
        print('#FILE ' + name)
        print('\n'.join(out))
    except Exception as e:
        print('#FAIL ' + name + ' ' + type(e).__name__)
""";

    private static void Walk(DicomDataset ds, string path, List<string> output)
    {
        foreach (var item in ds)
        {
            if (item.Tag.IsGroupLength) continue;
            var key = path + item.Tag.ToHex();
            switch (item)
            {
                case DicomSequence s:
                    output.Add(string.Create(CultureInfo.InvariantCulture, $"{key} SQ {s.Items.Count}"));
                    for (int i = 0; i < s.Items.Count; i++) Walk(s.Items[i], string.Create(CultureInfo.InvariantCulture, $"{key}[{i}]/"), output);
                    break;
                case DicomFragmentSequence:
                    output.Add($"{key} F");
                    break;
                case DicomElement e:
                    output.Add(string.Create(CultureInfo.InvariantCulture, $"{key} {e.Length}"));
                    break;
            }
        }
    }

    private static bool Matches(string ours, string theirs)
        => ours == theirs || (theirs.EndsWith(" ?", StringComparison.Ordinal) && ours.StartsWith(theirs[..^1], StringComparison.Ordinal));

    [Fact]
    public void Every_file_pydicom_reads_has_the_same_element_tree_in_our_parse()
    {
        var names = Corpus.Files.Where(f => !CorpusTests.ExpectedBroken.ContainsKey(f)).ToList();
        var (exit, output, error) = ExternalTool.Run(ExternalTool.Python, ["-c", Script], string.Join('\n', names.Select(Corpus.Path)));
        Assert.True(exit == 0, error);
        var theirs = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("#FILE ", StringComparison.Ordinal)) theirs[line[6..]] = current = [];
            else if (line.StartsWith("#FAIL ", StringComparison.Ordinal)) current = null;
            else if (line.Length > 0) current?.Add(line);
        }
        Assert.True(theirs.Count > 60, $"pydicom read only {theirs.Count} files");
        var report = new StringBuilder();
        foreach (var (path, expected) in theirs)
        {
            var ours = new List<string>();
            Walk(DicomFile.Open(path).Dataset, "", ours);
            if (ours.Count == expected.Count && ours.Zip(expected).All(p => Matches(p.First, p.Second))) continue;
            var missing = expected.Where(t => !ours.Any(o => Matches(o, t))).Take(5);
            var extra = ours.Where(o => !expected.Any(t => Matches(o, t))).Take(5);
            report.AppendLine(CultureInfo.InvariantCulture, $"{path}: pydicom-only [{string.Join(", ", missing)}] ours-only [{string.Join(", ", extra)}]");
        }
        Assert.True(report.Length == 0, report.ToString());
    }
}
