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
        var command = new Command("phantom", "Generate a synthetic CT series (DICOM) with organ labels (NIfTI) for testing") { output, seed, matrix };
        command.SetAction(async (parse, ct) =>
        {
            var m = parse.GetValue(matrix);
            if (m is < 64 or > 1024)
            {
                await context.Error.WriteLineAsync($"agent phantom: --matrix must be 64-1024, got {m}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var folder = parse.GetRequiredValue(output).FullName;
            try
            {
                var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = parse.GetValue(seed), Matrix = m });
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
