using System.CommandLine;
using System.Globalization;
using Agent.Imaging.Phantom;

namespace Agent.Host.Cli;

/// <summary><c>agent phantom OUT --seed N</c>: a synthetic abdominal CT series with ground-truth labels.</summary>
internal static class PhantomCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Argument<DirectoryInfo>("out") { Description = "Folder to write dicom/*.dcm, image.nii.gz, labels.nii.gz and phantom.json into" };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same phantom", DefaultValueFactory = _ => 1 };
        var matrix = new Option<int>("--matrix") { Description = "Rows and columns per slice (64-1024)", DefaultValueFactory = _ => 512 };
        var pixel = new Option<double?>("--pixel-spacing") { Description = "In-plane pixel size in mm (default: random 0.6-1.0)" };
        var slice = new Option<double?>("--slice-spacing") { Description = "Distance between slices in mm (default: random 0.5-5)" };
        var position = new Option<PatientPosition?>("--position") { Description = "HFS or FFS (default: random)" };
        var command = new Command("phantom", "Generate a synthetic CT series (DICOM) with organ labels (NIfTI) for testing") { output, seed, matrix, pixel, slice, position };
        command.SetAction(async (parse, ct) =>
        {
            var m = parse.GetValue(matrix);
            if (m is < 64 or > 1024)
            {
                await context.Error.WriteLineAsync($"agent phantom: --matrix must be 64-1024, got {m}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            if (parse.GetValue(pixel) is <= 0 or > 10 || parse.GetValue(slice) is <= 0 or > 20)
            {
                await context.Error.WriteLineAsync("agent phantom: --pixel-spacing must be 0-10 mm and --slice-spacing 0-20 mm").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var folder = parse.GetRequiredValue(output).FullName;
            try
            {
                var phantom = PhantomGenerator.Generate(new PhantomOptions
                {
                    Seed = parse.GetValue(seed), Matrix = m, PixelSpacing = parse.GetValue(pixel), SliceSpacing = parse.GetValue(slice), Position = parse.GetValue(position),
                });
                var files = await PhantomWriter.WriteAsync(phantom, folder, ct).ConfigureAwait(false);
                var scan = phantom.Scan;
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {files.Count} CT slices ({scan.Matrix}x{scan.Matrix}, {scan.PixelSpacing:F2} mm pixels, {scan.SliceSpacing:F2} mm apart) to {Path.Combine(folder, "dicom")}")).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"study {scan.StudyInstanceUid}, series {scan.SeriesInstanceUid}; labels in {Path.Combine(folder, "labels.nii.gz")}").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await context.Error.WriteLineAsync($"agent phantom: {folder}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
