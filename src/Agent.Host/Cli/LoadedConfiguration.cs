using Agent.Host.Configuration;
using Microsoft.Extensions.Configuration;

namespace Agent.Host.Cli;

/// <summary>Configuration loaded and validated for a command; null (with every error printed) when unusable.</summary>
internal sealed class LoadedConfiguration
{
    private LoadedConfiguration(string home, IConfigurationRoot configuration, AgentSettings settings)
    {
        Home = home;
        Configuration = configuration;
        Settings = settings;
    }

    public string Home { get; }
    public IConfigurationRoot Configuration { get; }
    public AgentSettings Settings { get; }

    public static async Task<LoadedConfiguration?> LoadAsync(CliContext context, FileInfo? configFile, CancellationToken cancellationToken)
    {
        var home = AgentConfiguration.Home(context.Environment);
        if (configFile is not null && !configFile.Exists)
        {
            await context.Error.WriteLineAsync($"agent: --config {configFile.FullName}: file not found").ConfigureAwait(false);
            return null;
        }
        IConfigurationRoot configuration;
        try
        {
            configuration = AgentConfiguration.Build(home, configFile?.FullName, context.Environment);
        }
        catch (InvalidDataException e)
        {
            // A JSON syntax error: the message names the file and line.
            await context.Error.WriteLineAsync($"agent: configuration file is not valid JSON: {e.Message}").ConfigureAwait(false);
            return null;
        }
        var errors = AgentOptionsRegistration.Validate(configuration);
        if (errors.Count > 0)
        {
            await context.Error.WriteLineAsync($"agent: the configuration has {errors.Count} error(s):").ConfigureAwait(false);
            foreach (var error in errors) await context.Error.WriteLineAsync("  " + error).ConfigureAwait(false);
            return null;
        }
        cancellationToken.ThrowIfCancellationRequested();
        return new LoadedConfiguration(home, configuration, AgentSettings.From(configuration, home));
    }
}
