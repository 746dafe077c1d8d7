using Agent.Host.Cli;

namespace Agent.Host;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        return await CliApp.RunAsync(args, CliContext.FromConsole(), CancellationToken.None).ConfigureAwait(false);
    }
}
