using System.CommandLine;
using Agent.Dicom;
using Agent.Dicom.Dump;
using Agent.Dicom.Json;

namespace Agent.Host.Cli;

/// <summary><c>agent dump FILE [--json]</c>: a dcmdump-style listing, or the PS3.18 DICOM JSON model.</summary>
internal static class DumpCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "DICOM file (Part 10, or a bare dataset)" };
        var json = new Option<bool>("--json") { Description = "Write the DICOM JSON model (PS3.18 F.2) instead; large unloaded bulk data is left out" };
        var command = new Command("dump", "Print the elements of a DICOM file") { file, json };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                await context.Error.WriteLineAsync($"agent dump: {path.FullName}: no such file").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            DicomFile dicom;
            try
            {
                dicom = DicomFile.Open(path.FullName, cancellationToken: ct);
            }
            catch (DicomFormatException e)
            {
                await context.Error.WriteLineAsync($"agent dump: {path.FullName}: not readable as DICOM: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            try
            {
                if (parse.GetValue(json))
                {
                    var text = DicomJsonWriter.WriteToString(dicom.Dataset, new DicomJsonOptions { SkipUnloadedBulkData = true }, indented: true);
                    await context.Out.WriteLineAsync(text).ConfigureAwait(false);
                }
                else
                {
                    DicomDumper.Dump(dicom, context.Out);
                }
            }
            catch (DicomFormatException e)
            {
                await context.Error.WriteLineAsync($"agent dump: {path.FullName}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            await context.Out.FlushAsync(ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
