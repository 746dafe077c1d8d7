namespace Agent.Host.Cli;

/// <summary>What a command may touch of the outside world; tests pass their own.</summary>
public sealed class CliContext
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }

    /// <summary>Environment variables to use instead of the process's (null = the process environment).</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    public static CliContext FromConsole() => new() { Out = Console.Out, Error = Console.Error };
}
