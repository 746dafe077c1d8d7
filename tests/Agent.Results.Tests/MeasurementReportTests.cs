using Agent.Dicom;
using Agent.Results.Reports;
using Agent.Results.Segmentation;

namespace Agent.Results.Tests;

public sealed class MeasurementReportTests
{
    private static (DicomFile Seg, DicomFile Sr, IReadOnlyDictionary<int, SegmentStatistics> Stats) Build()
    {
        var (phantom, _, source) = Fixtures.Phantom(seed: 5);
        var seg = SegmentationWriter.Write(phantom.Labels, source, Fixtures.Segments, Fixtures.SegOptions);
        var stats = SegmentStatistics.Compute(phantom.Labels, phantom.Image);
        var sr = MeasurementReportWriter.Write(seg.Dataset, source, Fixtures.Segments, stats, new MeasurementReportOptions { Algorithm = Fixtures.Algorithm });
        return (seg, sr, stats);
    }

    [Fact]
    public async Task Dciodvfy_reports_no_errors_for_the_tid1500_report()
    {
        var (_, sr, _) = Build();
        using var tmp = new TempFolder();
        var path = tmp.File("sr.dcm");
        sr.Save(path);
        var (_, output) = await Tool.RunAsync("dciodvfy", path);
        var errors = output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, output);
    }

    [Fact]
    public async Task Pydicom_reads_the_report_and_finds_each_segment_volume_in_cm3()
    {
        var (seg, sr, stats) = Build();
        using var tmp = new TempFolder();
        var path = tmp.File("sr.dcm");
        sr.Save(path);
        const string script = """
            import sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.88.34"
            meas = [c for c in ds.ContentSequence if c.ConceptNameCodeSequence[0].CodeValue == "126010"][0]
            for g in meas.ContentSequence:
                seg = [c for c in g.ContentSequence if c.ValueType == "IMAGE"][0].ReferencedSOPSequence[0]
                vol = [c for c in g.ContentSequence if c.ValueType == "NUM" and c.ConceptNameCodeSequence[0].CodeValue == "118565006"][0]
                mv = vol.MeasuredValueSequence[0]
                print(seg.ReferencedSOPInstanceUID, seg.ReferencedSegmentNumber, mv.NumericValue, mv.MeasurementUnitsCodeSequence[0].CodeValue)
            """;

        var lines = (await Python.RunAsync(script, path)).Trim().Split('\n');
        Assert.Equal(4, lines.Length);
        for (int i = 0; i < 4; i++)
        {
            var parts = lines[i].Split(' ');
            Assert.Equal(seg.Dataset.GetString(DicomTags.SOPInstanceUID), parts[0]);
            Assert.Equal((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), parts[1]);
            Assert.Equal(stats[i + 1].VolumeCm3, double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), 3);
            Assert.Equal("cm3", parts[3]);
        }
    }

    [Fact]
    public void The_summary_names_every_organ_and_says_it_is_an_ai_result_for_review()
    {
        var (_, sr, _) = Build();
        var summary = MeasurementReportWriter.Summary(Fixtures.Segments, SegmentStatistics.Compute(Fixtures.Phantom(seed: 5).Phantom.Labels, Fixtures.Phantom(seed: 5).Phantom.Image), Fixtures.Algorithm);
        Assert.StartsWith("AI result for review", summary, StringComparison.Ordinal);
        foreach (var s in Fixtures.Segments) Assert.Contains(s.Label, summary, StringComparison.Ordinal);
        Assert.NotNull(sr.Dataset.GetSequence(DicomTags.ContentSequence));
    }
}
