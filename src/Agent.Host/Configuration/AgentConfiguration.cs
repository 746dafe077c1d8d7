using Microsoft.Extensions.Configuration;

namespace Agent.Host.Configuration;

/// <summary>
/// Where the agent finds its configuration, in increasing precedence:
/// 1. the shipped defaults, <c>$AGENT_HOME/config/appsettings.json</c> (or the copy next to the executable when the
///    home has none, so a fresh machine runs with no configuration at all);
/// 2. <c>--config FILE</c> (JSON, same shape), for a site's settings;
/// 3. environment variables named like <c>AGENT__Dicom__Port</c> (for systemd units and containers).
/// </summary>
public static class AgentConfiguration
{
    public const string HomeVariable = "AGENT_HOME";

    /// <summary>AGENT_HOME, or the working directory when it is not set.</summary>
    public static string Home(IReadOnlyDictionary<string, string?>? environment = null)
    {
        var home = environment is null
            ? Environment.GetEnvironmentVariable(HomeVariable)
            : environment.GetValueOrDefault(HomeVariable);
        return Path.GetFullPath(string.IsNullOrWhiteSpace(home) ? Directory.GetCurrentDirectory() : home);
    }

    /// <summary>The shipped defaults file that applies for <paramref name="home"/>, or null when there is none.</summary>
    public static string? DefaultsFile(string home)
    {
        var inHome = Path.Combine(home, "config", "appsettings.json");
        if (File.Exists(inHome)) return inHome;
        var beside = Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json");
        return File.Exists(beside) ? beside : null;
    }

    /// <summary>Builds the configuration; a missing <paramref name="configFile"/> is a usage error the caller reports.</summary>
    /// <param name="environment">Variables to use instead of the process environment (tests).</param>
    public static IConfigurationRoot Build(string home, string? configFile, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var builder = new ConfigurationBuilder();
        if (DefaultsFile(home) is { } defaults) builder.AddJsonFile(defaults, optional: false, reloadOnChange: false);
        if (configFile is not null) builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        if (environment is null)
        {
            // AGENT__Dicom__Port becomes AGENT:Dicom:Port; keys are case-insensitive, so it overrides Agent:Dicom:Port.
            builder.AddEnvironmentVariables();
        }
        else
        {
            builder.AddInMemoryCollection(environment
                .Where(kv => kv.Key.StartsWith("AGENT__", StringComparison.OrdinalIgnoreCase))
                .Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace("__", ":", StringComparison.Ordinal), kv.Value)));
        }
        return builder.Build();
    }
}
