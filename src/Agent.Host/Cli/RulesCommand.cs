using System.CommandLine;
using System.Globalization;
using System.Net;
using Agent.Dicom;
using Agent.Host.Configuration;
using Agent.Host.Delivery;
using Agent.Host.Routing;

namespace Agent.Host.Cli;

/// <summary>
/// <c>agent rules check FILE</c> and <c>agent rules test --rules FILE PATH</c>: validate a rules file (including that
/// every <c>send_to</c>/<c>forward</c> names a destination of the configuration, as <c>serve</c> does), and show for the
/// series under PATH which rule fires and why the others do not. A dry run: nothing is queued, sent or recorded.
/// </summary>
internal static class RulesCommand
{
    public static Command Create(CliContext context, Option<FileInfo?> configOption)
    {
        var command = new Command("rules", "Validate routing rules and try them on DICOM files (dry run)");
        command.Subcommands.Add(Check(context, configOption));
        command.Subcommands.Add(Test(context, configOption));
        return command;
    }

    private static Command Check(CliContext context, Option<FileInfo?> configOption)
    {
        var file = new Argument<FileInfo>("file") { Description = "Rules file (YAML)" };
        var check = new Command("check", "Validate a rules file against the configuration's destinations; every error is printed as file:line:column: reason") { file };
        check.SetAction(async (parse, ct) =>
        {
            var (rules, destinations) = await LoadAsync(context, parse.GetValue(configOption), parse.GetRequiredValue(file).FullName, ct).ConfigureAwait(false);
            if (rules is null) return ExitCodes.Failure;
            await context.Out.WriteLineAsync(Header(rules)).ConfigureAwait(false);
            await context.Out.WriteLineAsync("destinations (Agent:Destinations): " + (destinations.Count == 0 ? "none configured" : string.Join(", ", destinations.Order(StringComparer.Ordinal))))
                .ConfigureAwait(false);
            foreach (var rule in rules.Rules)
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {rule.Name} (line {rule.Line}, priority {rule.Priority}{(rule.Fallback ? ", fallback" : "")}): {Actions(rule)}")).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return check;
    }

    private static Command Test(CliContext context, Option<FileInfo?> configOption)
    {
        var rulesOption = new Option<FileInfo>("--rules") { Description = "Rules file (YAML)", Required = true };
        var path = new Argument<string>("path") { Description = "A DICOM file or a folder (searched recursively)" };
        var calling = new Option<string?>("--calling-ae") { Description = "Pretend the series arrived from this calling AE title" };
        var called = new Option<string?>("--called-ae") { Description = "Pretend it was sent to this called AE title", DefaultValueFactory = _ => "AGENT" };
        var source = new Option<string?>("--source") { Description = "Pretend it came from this IP address" };
        var at = new Option<string?>("--at") { Description = "Evaluate time windows at this instant (ISO 8601; default now)" };
        var test = new Command("test", "Show which rule fires for each series under PATH and why the others do not") { rulesOption, path, calling, called, source, at };
        test.SetAction(async (parse, ct) =>
        {
            var (rules, _) = await LoadAsync(context, parse.GetValue(configOption), parse.GetRequiredValue(rulesOption).FullName, ct).ConfigureAwait(false);
            if (rules is null) return ExitCodes.Failure;
            IPAddress? address = null;
            if (parse.GetValue(source) is { } s && !IPAddress.TryParse(s, out address))
            {
                await context.Error.WriteLineAsync($"agent rules test: --source {s} is not an IP address").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var when = DateTimeOffset.UtcNow;
            if (parse.GetValue(at) is { } a && !DateTimeOffset.TryParse(a, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out when))
            {
                await context.Error.WriteLineAsync($"agent rules test: --at {a} is not a date and time").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
            var target = parse.GetRequiredValue(path);
            if (!File.Exists(target) && !Directory.Exists(target))
            {
                await context.Error.WriteLineAsync($"agent rules test: {target}: no such file or folder").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            var (series, skipped) = FolderScanner.Scan(target, ct);
            await context.Out.WriteLineAsync(Header(rules) + " (dry run: nothing is executed)").ConfigureAwait(false);
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{series.Count} series in {target}{(skipped > 0 ? $" ({skipped} files skipped: not DICOM)" : "")}")).ConfigureAwait(false);
            foreach (var one in series.OrderBy(x => x.StudyInstanceUid, StringComparer.Ordinal).ThenBy(x => x.SeriesInstanceUid, StringComparer.Ordinal))
            {
                var facts = new RoutingFacts(one.Header)
                {
                    CallingAe = parse.GetValue(calling),
                    CalledAe = parse.GetValue(called),
                    Source = address,
                    At = when,
                    InstanceCount = one.Files.Count,
                };
                var decision = RuleEvaluator.Evaluate(rules, facts);
                await context.Out.WriteLineAsync().ConfigureAwait(false);
                await context.Out.WriteLineAsync(Describe(one, facts)).ConfigureAwait(false);
                foreach (var o in decision.Outcomes)
                {
                    var mark = o.Fired ? "FIRES" : o.Matched ? "shadowed" : "no";
                    await context.Out.WriteLineAsync($"  {mark,-8} {o.Rule.Name}: {o.Reason}").ConfigureAwait(false);
                    if (o.Fired) await context.Out.WriteLineAsync($"           -> {Actions(o.Rule)}").ConfigureAwait(false);
                }
                if (!decision.AnyFired) await context.Out.WriteLineAsync("  (no rule fired: nothing would be done)").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return test;
    }

    private static async Task<(RuleSet? Rules, IReadOnlyList<string> Destinations)> LoadAsync(
        CliContext context, FileInfo? configFile, string path, CancellationToken cancellationToken)
    {
        var loaded = await LoadedConfiguration.LoadAsync(context, configFile, cancellationToken).ConfigureAwait(false);
        if (loaded is null) return (null, []);
        var destinations = AgentOptionsRegistration.Bind<DestinationsOptions>(loaded.Configuration, DestinationsOptions.Section).Keys.ToList();
        try
        {
            return (RuleParser.Load(path, destinations), destinations);
        }
        catch (RulesFileException e)
        {
            foreach (var error in e.Errors) await context.Error.WriteLineAsync(error.ToString()).ConfigureAwait(false);
            await context.Error.WriteLineAsync($"agent rules: {path}: {e.Errors.Count} error(s); rules not loaded").ConfigureAwait(false);
            return (null, destinations);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"agent rules: {path}: {e.Message}").ConfigureAwait(false);
            return (null, destinations);
        }
    }

    private static string Header(RuleSet rules) =>
        string.Create(CultureInfo.InvariantCulture, $"rules {AsTyped(rules.SourcePath)}: version {rules.Version}, {rules.Rules.Count} rule(s)");

    // A file below the working folder is shown as the user would type it (config/rules.yaml), not as a machine path.
    private static string AsTyped(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    internal static string Describe(FolderSeries series, RoutingFacts facts)
    {
        string Get(uint tag) => facts.Text(new DicomTag(tag)) ?? "-";
        return string.Create(CultureInfo.InvariantCulture,
            $"series {series.SeriesInstanceUid} ({Get(0x00080060)}, \"{Get(0x0008103E)}\", body part {Get(0x00180015)}, {series.Files.Count} file(s))");
    }

    internal static string Actions(Rule rule) => string.Join("; ", rule.Actions.Select(a => a switch
    {
        RunAction r => $"run {r.Pipeline} with model {r.ModelSpec}" + (r.SendTo.Count > 0 ? ", results to " + string.Join(", ", r.SendTo) : ""),
        ForwardAction f => "forward to " + string.Join(", ", f.Destinations),
        NotifyAction n => "notify " + n.Url,
        IgnoreAction => "ignore",
        _ => a.ToString(),
    }));
}
