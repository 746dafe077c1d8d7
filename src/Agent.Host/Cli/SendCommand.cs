using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Agent.Dicom;
using Agent.Dicom.Network;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Spectre.Console;

namespace Agent.Host.Cli;

/// <summary><c>agent send PATH...</c>: C-STORE files (folders recursively) to a peer, with a progress bar.</summary>
internal static class SendCommand
{
    public static Command Create(CliContext context, Option<FileInfo?> configOption)
    {
        var network = new NetworkOptions();
        var paths = new Argument<string[]>("path") { Description = "DICOM Part 10 files or folders (searched recursively)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("send", "Send DICOM files to a peer with C-STORE") { paths };
        network.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var loaded = await LoadedConfiguration.LoadAsync(context, parse.GetValue(configOption), ct).ConfigureAwait(false);
            if (loaded is null) return ExitCodes.Failure;
            var (options, error) = network.Resolve(parse, loaded.Settings.Dicom.AeTitle);
            if (options is null)
            {
                await context.Error.WriteLineAsync("agent send: " + error).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var (requests, skipped, missing) = Collect(parse.GetRequiredValue(paths));
            foreach (var m in missing) await context.Error.WriteLineAsync($"agent send: {m}: no such file or folder").ConfigureAwait(false);
            foreach (var s in skipped) await context.Error.WriteLineAsync($"agent send: skipped {s}").ConfigureAwait(false);
            if (missing.Count > 0) return ExitCodes.Usage;
            if (requests.Count == 0)
            {
                await context.Error.WriteLineAsync("agent send: no DICOM files to send").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Out) });
            var watch = Stopwatch.StartNew();
            int sent = 0, failed = 0;
            long bytes = 0;
            var failures = new List<string>();
            try
            {
                await console.Progress().AutoClear(false).StartAsync(async progress =>
                {
                    var task = progress.AddTask($"C-STORE to {options.CalledAeTitle}@{options.Host}:{options.Port}", maxValue: requests.Count);
                    foreach (var batch in StoreBatches.ByPresentationContexts(requests, r => r))
                    {
                        var client = await DicomClient.ConnectForAsync(options, batch, cancellationToken: ct).ConfigureAwait(false);
                        await using (client.ConfigureAwait(false))
                        {
                            foreach (var request in batch)
                            {
                                var rsp = await client.SendForFinalAsync(request, ct).ConfigureAwait(false);
                                if (rsp.Status.IsSuccess || rsp.Status.Category == DimseStatusCategory.Warning)
                                {
                                    sent++;
                                    bytes += new FileInfo(request.SourcePath!).Length;
                                }
                                else
                                {
                                    failed++;
                                    failures.Add($"{request.SourcePath}: {rsp.Status} {rsp.ErrorComment}");
                                }
                                task.Increment(1);
                            }
                            await client.ReleaseAsync(ct).ConfigureAwait(false);
                        }
                    }
                }).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DicomNetworkException or IOException or System.Net.Sockets.SocketException)
            {
                await context.Error.WriteLineAsync($"agent send: {options.CalledAeTitle}@{options.Host}:{options.Port}: {e.Message}").ConfigureAwait(false);
                failed = requests.Count - sent;
            }
            foreach (var f in failures) await context.Error.WriteLineAsync("agent send: failed " + f).ConfigureAwait(false);
            var seconds = watch.Elapsed.TotalSeconds;
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"sent {sent} of {requests.Count} instance(s), {failed} failed, {skipped.Count} skipped; {bytes / 1048576.0:F1} MB in {seconds:F1} s")).ConfigureAwait(false);
            return failed == 0 && skipped.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static (List<CStoreRequest> Requests, List<string> Skipped, List<string> Missing) Collect(IEnumerable<string> paths)
    {
        var requests = new List<CStoreRequest>();
        var skipped = new List<string>();
        var missing = new List<string>();
        foreach (var path in paths)
        {
            IEnumerable<string> files;
            if (Directory.Exists(path)) files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
            else if (File.Exists(path)) files = [path];
            else
            {
                missing.Add(path);
                continue;
            }
            foreach (var file in files)
            {
                try
                {
                    requests.Add(CStoreRequest.FromFile(file));
                }
                catch (DicomFormatException e)
                {
                    skipped.Add($"{file}: {e.Message}");
                }
                catch (IOException e)
                {
                    skipped.Add($"{file}: {e.Message}");
                }
            }
        }
        return (requests, skipped, missing);
    }
}
