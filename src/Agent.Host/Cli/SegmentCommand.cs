using System.CommandLine;
using System.Globalization;
using Agent.Dicom;
using Agent.Host.Configuration;
using Agent.Host.Pipelines;
using Agent.Host.Routing;
using Agent.Inference;
using Agent.Inference.Packages;
using Agent.Inference.SlidingWindow;

namespace Agent.Host.Cli;

/// <summary><c>agent segment INPUT_DIR --out OUT_DIR [--model NAME[@VERSION]|FOLDER]</c>: the whole pipeline offline.</summary>
internal static class SegmentCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Argument<DirectoryInfo>("input") { Description = "Folder of DICOM files (one series; searched recursively)" };
        var output = new Option<string>("--out") { Description = "Output folder (labels.nii.gz, seg.dcm), or a .nii/.nii.gz file for the labels (seg.dcm goes next to it)", Required = true };
        var model = new Option<string>("--model") { Description = "Model NAME, NAME@VERSION or package folder", DefaultValueFactory = _ => "abdomen-ct-3d" };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda:N", DefaultValueFactory = _ => "auto" };
        var raw = new Option<bool>("--no-postprocess") { Description = "Skip the manifest's recommended post-processing" };
        var command = new Command("segment", "Segment a DICOM series offline: writes the label volume (NIfTI) and a DICOM-SEG") { input, output, model, device, raw };
        command.SetAction(async (parse, ct) =>
        {
            var inputDir = parse.GetRequiredValue(input).FullName;
            var outArg = Path.GetFullPath(parse.GetRequiredValue(output));
            var toFile = outArg.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) || outArg.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase);
            var outDir = toFile ? Path.GetDirectoryName(outArg)! : outArg;
            if (!Directory.Exists(inputDir))
            {
                await context.Error.WriteLineAsync($"agent segment: {inputDir}: no such folder").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            var spec = parse.GetValue(model)!;
            var (name, version) = ModelCatalog.SplitSpec(spec);
            var home = AgentConfiguration.Home(context.Environment);
            var folder = await ModelCatalog.ForHome(home).FindAsync(name, version, ct).ConfigureAwait(false);
            if (folder is null)
            {
                await context.Error.WriteLineAsync($"agent segment: model: no model package '{spec}' in {Path.Combine(home, "config", "models")} or the bundled models").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            var (series, skipped) = FolderScanner.Scan(inputDir, ct);
            if (series.Count != 1)
            {
                await context.Error.WriteLineAsync($"agent segment: {inputDir} holds {series.Count} series; give a folder with exactly one").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            try
            {
                var package = await ModelPackage.LoadAsync(folder, ct).ConfigureAwait(false);
                InferenceDevice.ConfigureThreads();
                using var gate = new DeviceGate(1);
                using var segmentation = SegmentationModel.Create(package, InferenceDevice.Resolve(parse.GetValue(device)), gate);
                await context.Out.WriteLineAsync($"model {package.Manifest.Name} {package.Manifest.Version} on {segmentation.Device.type} (weights sha256 {package.WeightsSha256[..12]}...); {series[0].Files.Count} file(s){(skipped > 0 ? $", {skipped} skipped" : "")}").ConfigureAwait(false);
                var run = await SeriesSegmenter.RunAsync(series[0].Files, segmentation, outDir, ct, !parse.GetValue(raw), toFile ? outArg : null).ConfigureAwait(false);
                foreach (var issue in run.SeriesIssues) await context.Out.WriteLineAsync("series: " + issue).ConfigureAwait(false);
                foreach (var (label, voxels) in run.VoxelsPerLabel)
                    await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {label,-16} {voxels,10} voxels")).ConfigureAwait(false);
                await context.Out.WriteLineAsync("timings: " + string.Join(", ", run.TimingsMs.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value}")))).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"wrote {run.LabelsPath}" + (run.SegPath is null ? " (no structure found: no SEG written)" : $" and {run.SegPath}")).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (ModelPackageException e)
            {
                await context.Error.WriteLineAsync("agent segment: model: " + e.Message).ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            catch (Exception e) when (e is SeriesNotUsableException or DicomFormatException or IOException or NonFiniteOutputException)
            {
                await context.Error.WriteLineAsync($"agent segment: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
