using System.CommandLine;
using Agent.Dicom;
using Agent.Dicom.Network;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;

namespace Agent.Host.Cli;

/// <summary><c>agent find</c>: C-FIND against a PACS (study root); one tab-separated line per match.</summary>
internal static class FindCommand
{
    public static Command Create(CliContext context, Option<FileInfo?> configOption)
    {
        var network = new NetworkOptions();
        var query = new QueryOptions();
        var command = new Command("find", "Query a PACS with C-FIND (study root) and print the matches");
        network.AddTo(command);
        query.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var loaded = await LoadedConfiguration.LoadAsync(context, parse.GetValue(configOption), ct).ConfigureAwait(false);
            if (loaded is null) return ExitCodes.Failure;
            var (options, error) = network.Resolve(parse, loaded.Settings.Dicom.AeTitle);
            var (identifier, columns, keyError) = query.Build(parse);
            if (options is null || identifier is null)
            {
                await context.Error.WriteLineAsync("agent find: " + (error ?? keyError)).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var request = new CFindRequest(parse.GetValue(query.Level), identifier);
            var matches = 0;
            try
            {
                var client = await DicomClient.ConnectForAsync(options, [request], cancellationToken: ct).ConfigureAwait(false);
                await using (client.ConfigureAwait(false))
                {
                    await context.Out.WriteLineAsync(string.Join('\t', columns.Select(DicomDictionary.Keyword))).ConfigureAwait(false);
                    DimseStatus final = DimseStatus.Success;
                    await foreach (var rsp in client.SendAsync(request, ct).ConfigureAwait(false))
                    {
                        if (rsp.Status.Category == DimseStatusCategory.Pending && rsp.Identifier is { } match)
                        {
                            matches++;
                            await context.Out.WriteLineAsync(string.Join('\t', columns.Select(t => match.GetString(t)?.Trim() ?? ""))).ConfigureAwait(false);
                        }
                        else
                        {
                            final = rsp.Status;
                        }
                    }
                    await client.ReleaseAsync(ct).ConfigureAwait(false);
                    if (!final.IsSuccess)
                    {
                        await context.Error.WriteLineAsync($"agent find: {options.CalledAeTitle} answered {final}").ConfigureAwait(false);
                        return ExitCodes.Failure;
                    }
                }
            }
            catch (Exception e) when (e is DicomNetworkException or IOException or System.Net.Sockets.SocketException)
            {
                await context.Error.WriteLineAsync($"agent find: {options.CalledAeTitle}@{options.Host}:{options.Port}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            await context.Error.WriteLineAsync($"{matches} match(es)").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
