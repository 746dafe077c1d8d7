using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Agent.Dicom;
using Agent.Imaging.Nifti;
using Agent.Imaging.Series;
using Agent.Inference;
using Agent.Inference.Packages;

namespace Agent.Host.Cli;

/// <summary><c>agent segment SERIES --model PACKAGE --out labels.nii.gz</c>: run a model package on one DICOM series.</summary>
internal static class SegmentCommand
{
    public static Command Create(CliContext context)
    {
        var series = new Argument<DirectoryInfo>("series") { Description = "Folder with the DICOM files of one series" };
        var model = new Option<DirectoryInfo>("--model") { Description = "Model package folder (manifest + weights)", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Label map to write (NIfTI, .nii or .nii.gz)", Required = true };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda[:N]", DefaultValueFactory = _ => "auto" };
        var raw = new Option<bool>("--no-postprocess") { Description = "Skip the manifest's recommended post-processing" };
        var command = new Command("segment", "Segment a DICOM series with a model package and write the label map") { series, model, output, device, raw };
        command.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetRequiredValue(series);
            if (!folder.Exists)
            {
                await context.Error.WriteLineAsync($"agent segment: {folder.FullName}: no such folder").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var files = new List<DicomFile>();
            foreach (var path in Directory.EnumerateFiles(folder.FullName, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                try { files.Add(DicomFile.Open(path, cancellationToken: ct)); }
                catch (DicomFormatException e) { await context.Error.WriteLineAsync($"agent segment: skipped {path}: {e.Message}").ConfigureAwait(false); }
            }
            var built = SeriesVolumeBuilder.Build(files);
            foreach (var issue in built.Report.Issues) await context.Error.WriteLineAsync("series: " + issue).ConfigureAwait(false);
            if (built.Volume is not { } volume)
            {
                await context.Error.WriteLineAsync($"agent segment: {folder.FullName}: no usable volume in {files.Count} file(s)").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            try
            {
                var package = await ModelPackage.LoadAsync(parse.GetRequiredValue(model).FullName, ct).ConfigureAwait(false);
                var torchDevice = InferenceDevice.Resolve(parse.GetValue(device));
                using var gate = new DeviceGate(1);
                using var segmentation = SegmentationModel.Create(package, torchDevice, gate);
                var watch = Stopwatch.StartNew();
                var labels = await segmentation.SegmentAsync(volume, !parse.GetValue(raw), ct).ConfigureAwait(false);
                var target = parse.GetRequiredValue(output).FullName;
                NiftiFile.Write(target, labels);
                var size = volume.Geometry.Size;
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"segmented {size.X}x{size.Y}x{size.Z} voxels with {package.Manifest.Name} {package.Manifest.Version} on {torchDevice.type} in {watch.Elapsed.TotalSeconds:F1} s; wrote {target}")).ConfigureAwait(false);
                var counts = new long[256];
                foreach (var l in labels.Labels) counts[l]++;
                var spacing = volume.Geometry.Spacing;
                for (var label = 1; label < counts.Length; label++)
                {
                    if (counts[label] == 0) continue;
                    var ml = counts[label] * spacing.X * spacing.Y * spacing.Z / 1000.0;
                    await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  label {label}: {ml:F1} mL")).ConfigureAwait(false);
                }
                return ExitCodes.Ok;
            }
            catch (ModelPackageException e)
            {
                await context.Error.WriteLineAsync("agent segment: model: " + e.Message).ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
