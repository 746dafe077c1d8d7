using System.CommandLine;
using Agent.Dicom.Network;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;

namespace Agent.Host.Cli;

/// <summary><c>agent move --dest AE</c>: C-MOVE (study root); the PACS sends the matches to AE (e.g. this agent).</summary>
internal static class MoveCommand
{
    public static Command Create(CliContext context, Option<FileInfo?> configOption)
    {
        var network = new NetworkOptions();
        var query = new QueryOptions();
        var destination = new Option<string?>("--dest") { Description = "Move destination AE title as the PACS knows it (default: Agent:Dicom:AeTitle)" };
        var command = new Command("move", "Ask a PACS to send matching instances to an AE with C-MOVE (study root)") { destination };
        network.AddTo(command);
        query.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var loaded = await LoadedConfiguration.LoadAsync(context, parse.GetValue(configOption), ct).ConfigureAwait(false);
            if (loaded is null) return ExitCodes.Failure;
            var (options, error) = network.Resolve(parse, loaded.Settings.Dicom.AeTitle);
            var (identifier, _, keyError) = query.Build(parse);
            var dest = (parse.GetValue(destination) ?? loaded.Settings.Dicom.AeTitle).Trim();
            if (Configuration.DicomOptionsValidator.AeTitleProblem(dest) is { } destError) keyError ??= "--dest " + destError;
            if (options is null || identifier is null || keyError is not null)
            {
                await context.Error.WriteLineAsync("agent move: " + (error ?? keyError)).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var request = new CMoveRequest(dest, parse.GetValue(query.Level), identifier);
            try
            {
                var client = await DicomClient.ConnectForAsync(options, [request], cancellationToken: ct).ConfigureAwait(false);
                await using (client.ConfigureAwait(false))
                {
                    DicomResponse? last = null;
                    await foreach (var rsp in client.SendAsync(request, ct).ConfigureAwait(false))
                    {
                        last = rsp;
                        if (rsp.Status.Category == DimseStatusCategory.Pending)
                            await context.Error.WriteLineAsync($"moving: {rsp.Completed ?? 0} done, {rsp.Remaining ?? 0} remaining, {rsp.Failed ?? 0} failed").ConfigureAwait(false);
                    }
                    await client.ReleaseAsync(ct).ConfigureAwait(false);
                    if (last is null) return ExitCodes.Failure;
                    await context.Out.WriteLineAsync($"C-MOVE to {dest}: {last.Status}, {last.Completed ?? 0} completed, {last.Failed ?? 0} failed, {last.Warning ?? 0} warning(s)").ConfigureAwait(false);
                    return last.Status.IsSuccess ? ExitCodes.Ok : ExitCodes.Failure;
                }
            }
            catch (Exception e) when (e is DicomNetworkException or IOException or System.Net.Sockets.SocketException)
            {
                await context.Error.WriteLineAsync($"agent move: {options.CalledAeTitle}@{options.Host}:{options.Port}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
