using System.CommandLine;
using System.Globalization;
using Agent.Host.Configuration;

namespace Agent.Host.Cli;

/// <summary><c>agent config check</c>: loads the configuration exactly as <c>serve</c> does and reports every error.</summary>
internal static class ConfigCommand
{
    public static Command Create(CliContext context, Option<FileInfo?> configOption)
    {
        var check = new Command("check", "Validate the configuration (defaults, --config, environment) and print the effective settings");
        check.SetAction(async (parse, ct) =>
        {
            var loaded = await LoadedConfiguration.LoadAsync(context, parse.GetValue(configOption), ct).ConfigureAwait(false);
            if (loaded is null) return ExitCodes.Failure;
            var s = loaded.Settings;
            var lines = new[]
            {
                $"home:           {loaded.Home}",
                $"defaults:       {AgentConfiguration.DefaultsFile(loaded.Home) ?? "(none, built-in defaults)"}",
                $"AE title:       {s.Dicom.AeTitle}",
                $"listen:         {s.Dicom.BindAddress}:{s.Dicom.Port.ToString(CultureInfo.InvariantCulture)}",
                $"data folder:    {s.DataFolder}",
                $"database:       {(s.Database.IsEmbedded ? "embedded PostgreSQL in " + s.EmbeddedDatabaseFolder : "external (Agent:Database:ConnectionString)")}",
                $"duplicates:     {s.Storage.DuplicatePolicy}",
                $"min free space: {s.Storage.MinFreeSpaceMB.ToString(CultureInfo.InvariantCulture)} MB",
                "configuration is valid",
            };
            foreach (var line in lines) await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        var command = new Command("config", "Inspect the agent's configuration");
        command.Subcommands.Add(check);
        return command;
    }
}
