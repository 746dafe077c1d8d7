using System.CommandLine;

namespace Agent.Host.Cli;

internal static class CommonOptions
{
    /// <summary>A JSON settings file layered over the shipped defaults (below environment variables).</summary>
    public static Option<FileInfo?> Config() => new("--config")
    {
        Description = "JSON settings file layered over config/appsettings.json (environment variables AGENT__Section__Key still win)",
        Recursive = true,
    };
}
