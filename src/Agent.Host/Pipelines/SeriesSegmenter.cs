using System.Diagnostics;
using System.Globalization;
using Agent.Dicom;
using Agent.Imaging;
using Agent.Imaging.Nifti;
using Agent.Imaging.Series;
using Agent.Inference;
using Agent.Inference.Packages;
using Agent.Results.Coding;
using Agent.Results.Common;
using Agent.Results.KeyImages;
using Agent.Results.Reports;
using Agent.Results.Segmentation;

namespace Agent.Host.Pipelines;

/// <summary>The series could not be turned into a volume (missing slices, mixed orientations...); not worth retrying.</summary>
public sealed class SeriesNotUsableException : Exception
{
    public SeriesNotUsableException() { }

    public SeriesNotUsableException(string message) : base(message) { }

    public SeriesNotUsableException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>One DICOM object a run wrote: SEG, SR (TID 1500 measurement report) or KI (key image).</summary>
public sealed record WrittenOutput(string Kind, string Path, DicomFile File);

/// <summary>What one segmentation run produced, with the time each step took.</summary>
public sealed record SegmentationRun(
    string LabelsPath,
    IReadOnlyList<WrittenOutput> Outputs,
    IReadOnlyDictionary<string, long> TimingsMs,
    IReadOnlyDictionary<string, long> VoxelsPerLabel,
    IReadOnlyList<string> SeriesIssues)
{
    public string? SegPath => Outputs.FirstOrDefault(o => o.Kind == "SEG")?.Path;
}

/// <summary>
/// The offline segmentation pipeline shared by <c>agent segment</c> and the <c>segment</c> job: DICOM files ->
/// volume (sorted along the slice normal, Modality LUT applied) -> model package (resample, normalise, sliding
/// window, back to the input grid) -> recommended post-processing per label -> label NIfTI + DICOM-SEG, the TID 1500
/// measurement report that references it, and key images for viewers without SEG support.
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

        var outputs = new List<WrittenOutput>();
        var present = model.Package.Manifest.Labels.Where(l => counts[l.Name] > 0).ToList();
        if (present.Count > 0)
        {
            var manifest = model.Package.Manifest;
            var algorithm = new AlgorithmIdentity(manifest.Name, manifest.Version);
            var segments = present.Select(Segment).ToList();
            var source = SegmentationSource.FromSeries(series, dicoms.Select(d => d.Dataset).ToList());
            var seg = SegmentationWriter.Write(labels, source, segments, new SegmentationOptions { Algorithm = algorithm });
            outputs.Add(await SaveAsync("SEG", seg, Path.Combine(outputFolder, "seg.dcm"), cancellationToken).ConfigureAwait(false));

            var statistics = SegmentStatistics.Compute(labels, volume);
            var report = MeasurementReportWriter.Write(seg.Dataset, source, segments, statistics, new MeasurementReportOptions { Algorithm = algorithm });
            outputs.Add(await SaveAsync("SR", report, Path.Combine(outputFolder, "sr.dcm"), cancellationToken).ConfigureAwait(false));

            var keyImages = KeyImageWriter.Write(volume, labels, source, segments, new KeyImageOptions { Algorithm = algorithm });
            for (int i = 0; i < keyImages.Count; i++)
            {
                var path = Path.Combine(outputFolder, string.Create(CultureInfo.InvariantCulture, $"key-image-{i + 1}.dcm"));
                outputs.Add(await SaveAsync("KI", keyImages[i], path, cancellationToken).ConfigureAwait(false));
            }
        }
        timings["write_ms"] = Lap();
        return new SegmentationRun(labelsPath, outputs, timings, counts, issues);
    }

    private static async Task<WrittenOutput> SaveAsync(string kind, DicomFile file, string path, CancellationToken cancellationToken)
    {
        await file.SaveAsync(path, null, cancellationToken).ConfigureAwait(false);
        return new WrittenOutput(kind, path, file);
    }

    private static SegmentDefinition Segment(LabelSpec l) =>
        new(l.Value, l.Name, new Code(l.Category.Scheme, l.Category.Code, l.Category.Meaning), new Code(l.Type.Scheme, l.Type.Code, l.Type.Meaning),
            l.Color.Select(c => (byte)Math.Clamp(c, 0, 255)).ToArray())
        {
            TypeModifier = l.Laterality is { } m ? new Code(m.Scheme, m.Code, m.Meaning) : null,
        };
}
