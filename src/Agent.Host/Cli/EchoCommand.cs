using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Agent.Dicom.Network;
using Agent.Dicom.Network.Client;

namespace Agent.Host.Cli;

/// <summary><c>agent echo</c>: C-ECHO a peer (is it up, does it accept our AE title).</summary>
internal static class EchoCommand
{
    public static Command Create(CliContext context, Option<FileInfo?> configOption)
    {
        var network = new NetworkOptions();
        var command = new Command("echo", "Verify DICOM connectivity to a peer with C-ECHO");
        network.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var loaded = await LoadedConfiguration.LoadAsync(context, parse.GetValue(configOption), ct).ConfigureAwait(false);
            if (loaded is null) return ExitCodes.Failure;
            var (options, error) = network.Resolve(parse, loaded.Settings.Dicom.AeTitle);
            if (options is null)
            {
                await context.Error.WriteLineAsync("agent echo: " + error).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var watch = Stopwatch.StartNew();
            try
            {
                var status = await DicomClient.EchoAsync(options, ct).ConfigureAwait(false);
                var ms = watch.Elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture);
                if (!status.IsSuccess)
                {
                    await context.Error.WriteLineAsync($"agent echo: {options.CalledAeTitle}@{options.Host}:{options.Port} answered {status}").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }
                await context.Out.WriteLineAsync($"C-ECHO {options.CallingAeTitle} -> {options.CalledAeTitle}@{options.Host}:{options.Port}: success in {ms} ms").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is DicomNetworkException or IOException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                await context.Error.WriteLineAsync($"agent echo: {options.CalledAeTitle}@{options.Host}:{options.Port}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
