using System.Diagnostics;
using Agent.Dicom;
using Agent.Imaging;
using Agent.Imaging.Nifti;
using Agent.Imaging.Series;
using Agent.Inference;
using Agent.Inference.Packages;
using Agent.Results.Coding;
using Agent.Results.Common;
using Agent.Results.Segmentation;

namespace Agent.Host.Pipelines;

/// <summary>The series could not be turned into a volume (missing slices, mixed orientations...); not worth retrying.</summary>
public sealed class SeriesNotUsableException : Exception
{
    public SeriesNotUsableException() { }

    public SeriesNotUsableException(string message) : base(message) { }

    public SeriesNotUsableException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>What one segmentation run produced, with the time each step took.</summary>
public sealed record SegmentationRun(
    string LabelsPath,
    string? SegPath,
    DicomFile? Seg,
    IReadOnlyDictionary<string, long> TimingsMs,
    IReadOnlyDictionary<string, long> VoxelsPerLabel,
    IReadOnlyList<string> SeriesIssues);

/// <summary>
/// The offline segmentation pipeline shared by <c>agent segment</c> and the <c>segment</c> job: DICOM files ->
/// volume (sorted along the slice normal, Modality LUT applied) -> model package (resample, normalise, sliding
/// window, back to the input grid) -> recommended post-processing per label -> label NIfTI + DICOM-SEG.
/// </summary>
public static class SeriesSegmenter
{
    public static async Task<SegmentationRun> RunAsync(IReadOnlyList<string> files, SegmentationModel model, string outputFolder, CancellationToken cancellationToken,
        bool postProcess = true, string? labelsPath = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(model);
        var timings = new Dictionary<string, long>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        long Lap()
        {
            var ms = (long)watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            return ms;
        }

        var dicoms = new List<DicomFile>(files.Count);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            dicoms.Add(DicomFile.Open(file, cancellationToken: cancellationToken));
        }
        timings["read_ms"] = Lap();
        var series = SeriesVolumeBuilder.Build(dicoms);
        var issues = series.Report.Issues.Select(i => i.ToString()).ToList();
        if (!series.IsUsable) throw new SeriesNotUsableException("series cannot be reconstructed: " + string.Join("; ", issues));
        var volume = series.Volume!;
        timings["volume_ms"] = Lap();

        // Inference includes the manifest's recommended post-processing (SegmentationModel applies it on the input grid).
        var labels = await model.SegmentAsync(volume, postProcess, cancellationToken).ConfigureAwait(false);
        timings["inference_ms"] = Lap();

        Directory.CreateDirectory(outputFolder);
        labelsPath ??= Path.Combine(outputFolder, "labels.nii.gz");
        NiftiFile.Write(labelsPath, labels);
        var counts = model.Package.Manifest.Labels.ToDictionary(l => l.Name, l => labels.Labels.LongCount(v => v == l.Value), StringComparer.Ordinal);

        DicomFile? seg = null;
        string? segPath = null;
        var present = model.Package.Manifest.Labels.Where(l => counts[l.Name] > 0).ToList();
        if (present.Count > 0)
        {
            var manifest = model.Package.Manifest;
            var source = SegmentationSource.FromSeries(series, dicoms.Select(d => d.Dataset).ToList());
            seg = SegmentationWriter.Write(labels, source, present.Select(Segment).ToList(), new SegmentationOptions
            {
                Algorithm = new AlgorithmIdentity(manifest.Name, manifest.Version),
            });
            segPath = Path.Combine(outputFolder, "seg.dcm");
            await seg.SaveAsync(segPath, null, cancellationToken).ConfigureAwait(false);
        }
        timings["write_ms"] = Lap();
        return new SegmentationRun(labelsPath, segPath, seg, timings, counts, issues);
    }

    private static SegmentDefinition Segment(LabelSpec l) =>
        new(l.Value, l.Name, new Code(l.Category.Scheme, l.Category.Code, l.Category.Meaning), new Code(l.Type.Scheme, l.Type.Code, l.Type.Meaning),
            l.Color.Select(c => (byte)Math.Clamp(c, 0, 255)).ToArray())
        {
            TypeModifier = l.Laterality is { } m ? new Code(m.Scheme, m.Code, m.Meaning) : null,
        };
}
