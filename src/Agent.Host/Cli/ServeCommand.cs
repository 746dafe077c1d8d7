using System.CommandLine;
using System.Net.Sockets;
using Agent.Host.Hosting;
using Agent.Storage.Embedded;
using Agent.Storage.Migrations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agent.Host.Cli;

/// <summary><c>agent serve</c>: runs the node (database, instance store, DICOM SCP) until SIGTERM/Ctrl-C.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context, Option<FileInfo?> configOption)
    {
        var command = new Command("serve", "Run the DICOM node: embedded or configured PostgreSQL, durable instance store, C-STORE SCP");
        command.SetAction(async (parse, ct) =>
        {
            var loaded = await LoadedConfiguration.LoadAsync(context, parse.GetValue(configOption), ct).ConfigureAwait(false);
            if (loaded is null) return ExitCodes.Failure;
            using var host = AgentHostFactory.Build(loaded.Configuration, loaded.Settings);
            try
            {
                await host.RunAsync(ct).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (OptionsValidationException e)
            {
                foreach (var failure in e.Failures) await context.Error.WriteLineAsync("agent serve: " + failure).ConfigureAwait(false);
            }
            catch (Exception e) when (e is EmbeddedPostgresException or MigrationException or NpgsqlException)
            {
                await context.Error.WriteLineAsync("agent serve: database: " + e.Message).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                await context.Error.WriteLineAsync($"agent serve: cannot listen on {loaded.Settings.Dicom.BindAddress}:{loaded.Settings.Dicom.Port} (Agent:Dicom:Port): {e.Message}").ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await context.Error.WriteLineAsync($"agent serve: data folder {loaded.Settings.DataFolder} (Agent:Storage:DataFolder): {e.Message}").ConfigureAwait(false);
            }
            return ExitCodes.Failure;
        });
        return command;
    }
}
