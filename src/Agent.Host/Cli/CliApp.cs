using System.CommandLine;

namespace Agent.Host.Cli;

/// <summary>The <c>agent</c> command line: one subcommand per feature; parse errors exit with 2.</summary>
public static class CliApp
{
    public static RootCommand Build(CliContext context)
    {
        var config = CommonOptions.Config();
        var root = new RootCommand("DICOM AI node: receives studies, segments them, sends results back.");
        root.Options.Add(config);
        root.Subcommands.Add(ServeCommand.Create(context, config));
        root.Subcommands.Add(EchoCommand.Create(context, config));
        root.Subcommands.Add(SendCommand.Create(context, config));
        root.Subcommands.Add(FindCommand.Create(context, config));
        root.Subcommands.Add(MoveCommand.Create(context, config));
        root.Subcommands.Add(ReanalyzeCommand.Create(context, config));
        root.Subcommands.Add(DumpCommand.Create(context));
        root.Subcommands.Add(PhantomCommand.Create(context));
        root.Subcommands.Add(SegmentCommand.Create(context));
        root.Subcommands.Add(RulesCommand.Create(context, config));
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(ConfigCommand.Create(context, config));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        var parse = Build(context).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await context.Error.WriteLineAsync($"agent: {error.Message}").ConfigureAwait(false);
            await context.Error.WriteLineAsync("Run 'agent --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        var invocation = new InvocationConfiguration { Output = context.Out, Error = context.Error };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }
}
