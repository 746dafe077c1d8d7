using System.CommandLine;
using System.Globalization;
using Agent.Host.Reanalysis;
using Npgsql;
using Spectre.Console;

namespace Agent.Host.Cli;

/// <summary>
/// <c>agent reanalyze</c>: queue a re-analysis run (a configured schedule now, or an ad-hoc query) in the serving
/// agent's database and follow it with a progress bar until every series is skipped, failed or segmented.
/// The serving agent does the work; this command only queues and watches.
/// </summary>
internal static class ReanalyzeCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static Command Create(CliContext context, Option<FileInfo?> configOption)
    {
        var schedule = new Option<string?>("--schedule") { Description = "Run this configured schedule (Agent:Reanalysis:Schedules) now" };
        var source = new Option<string?>("--source") { Description = "PACS to query, by name (Agent:Reanalysis:Sources)" };
        var query = new Option<string[]>("--query", "-q")
        {
            Description = "Matching key Keyword=Value (StudyDate=-7d, StudyDate=-30d..-1d, Modality=CT, SeriesDescription=*ABD*)",
            AllowMultipleArgumentsPerToken = false,
        };
        var model = new Option<string?>("--model") { Description = "Model package NAME@VERSION (the version is required)" };
        var sendTo = new Option<string[]>("--send-to") { Description = "Destination (Agent:Destinations) for the new results; repeatable" };
        var maxSeries = new Option<int>("--max-series") { Description = "Retrieve at most this many series", DefaultValueFactory = _ => 100 };
        var noWait = new Option<bool>("--no-wait") { Description = "Queue the run, print its id and return" };
        var startTimeout = new Option<int>("--start-timeout")
        {
            Description = "Seconds to wait for a serving agent to start the run before saying none is", DefaultValueFactory = _ => 30,
        };
        var command = new Command("reanalyze", "Re-analyze past series from a PACS with a pinned model version (run by the serving agent)")
        {
            schedule, source, query, model, sendTo, maxSeries, noWait, startTimeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            var loaded = await LoadedConfiguration.LoadAsync(context, parse.GetValue(configOption), ct).ConfigureAwait(false);
            if (loaded is null) return ExitCodes.Failure;
            var options = Configuration.AgentOptionsRegistration.Bind<ReanalysisOptions>(loaded.Configuration, ReanalysisOptions.Section);
            var destinations = Configuration.AgentOptionsRegistration.Bind<Delivery.DestinationsOptions>(loaded.Configuration, Delivery.DestinationsOptions.Section);
            var (payload, key, error) = Request(parse, options, destinations, schedule, source, query, model, sendTo, maxSeries);
            if (payload is null)
            {
                await context.Error.WriteLineAsync("agent reanalyze: " + error).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var (dataSource, dbError) = await ServingDatabase.ConnectAsync(loaded.Settings, ct).ConfigureAwait(false);
            if (dataSource is null)
            {
                await context.Error.WriteLineAsync("agent reanalyze: " + dbError).ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            await using (dataSource.ConfigureAwait(false))
            {
                var runs = new ReanalysisRuns(dataSource);
                var (runId, _) = await runs.EnqueueAsync(payload, key!, ct).ConfigureAwait(false);
                if (parse.GetValue(noWait))
                {
                    await context.Out.WriteLineAsync(runId.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                    return ExitCodes.Ok;
                }
                await context.Error.WriteLineAsync($"run {runId.ToString(CultureInfo.InvariantCulture)} queued: {payload.Model} on {payload.Source}, query {Describe(payload.Query)}").ConfigureAwait(false);
                return await FollowAsync(context, dataSource, runs, runId, TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(startTimeout))), ct).ConfigureAwait(false);
            }
        });
        return command;
    }

    private static (ReanalyzeJobPayload? Payload, string? Key, string? Error) Request(ParseResult parse, ReanalysisOptions options,
        Delivery.DestinationsOptions destinations, Option<string?> scheduleOption, Option<string?> sourceOption, Option<string[]> queryOption,
        Option<string?> modelOption, Option<string[]> sendToOption, Option<int> maxSeriesOption)
    {
        var now = DateTimeOffset.UtcNow;
        var id = Guid.NewGuid().ToString("N")[..12];
        if (parse.GetValue(scheduleOption) is { } name)
        {
            if (parse.GetValue(sourceOption) is not null || parse.GetValue(queryOption) is { Length: > 0 } || parse.GetValue(modelOption) is not null)
                return (null, null, "--schedule runs a configured schedule as it is: leave out --source, --query and --model");
            var match = options.Schedules.FirstOrDefault(s => string.Equals(s.Key, name, StringComparison.OrdinalIgnoreCase));
            if (match.Value is null)
                return (null, null, $"--schedule '{name}' is not configured under {ReanalysisOptions.Section}:Schedules (known: {Known(options.Schedules.Keys)})");
            var scheduled = new ReanalysisSchedule(match.Key, match.Value).PayloadFor(now, onDemand: true);
            return (scheduled, $"reanalyze:{match.Key}:now-{id}", null);
        }

        var source = parse.GetValue(sourceOption)?.Trim();
        var model = parse.GetValue(modelOption);
        var sendTo = (parse.GetValue(sendToOption) ?? []).Select(s => s.Trim()).ToList();
        var maxSeries = parse.GetValue(maxSeriesOption);
        if (string.IsNullOrEmpty(source)) return (null, null, $"give --schedule NAME, or --source NAME with --query and --model (sources: {Known(options.Sources.Keys)})");
        var problems = ReanalysisOptionsValidator.RequestProblems("", source, model ?? "", sendTo, maxSeries, options, destinations)
            .Select(p => "--" + p.TrimStart(':').Split(' ', 2) switch { [var k, var rest] => Option(k) + " " + rest, var a => a[0] })
            .ToList();
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var item in parse.GetValue(queryOption) ?? [])
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) problems.Add($"--query '{item}' must be Keyword=Value");
            else pairs.Add(new(item[..eq], item[(eq + 1)..]));
        }
        if (pairs.Count == 0 && problems.Count == 0) problems.Add("--query needs at least one matching key, e.g. --query StudyDate=-7d --query Modality=CT");
        var (parsed, queryErrors) = ReanalysisQuery.Parse(pairs, DateOnly.FromDateTime(now.UtcDateTime), "--query");
        problems.AddRange(queryErrors);
        if (problems.Count > 0) return (null, null, string.Join(Environment.NewLine + "agent reanalyze: ", problems));
        return (new ReanalyzeJobPayload
        {
            Source = options.Sources.Keys.First(k => string.Equals(k, source, StringComparison.OrdinalIgnoreCase)),
            Query = parsed!.ToDictionary(),
            Model = model!.Trim(),
            SendTo = sendTo,
            MaxSeries = maxSeries,
        }, $"reanalyze:on-demand:{id}", null);
    }

    // "Source", "Model", "SendTo:0", "MaxSeries" from the validator's keys -> the option names of this command.
    private static string Option(string key) => key.Split(':')[0] switch
    {
        "Source" => "source",
        "Model" => "model",
        "SendTo" => "send-to",
        "MaxSeries" => "max-series",
        var other => other,
    };

    private static async Task<int> FollowAsync(CliContext context, NpgsqlDataSource dataSource, ReanalysisRuns runs, long runId, TimeSpan startTimeout,
        CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Out) });
        RunProgress? last = null;
        string? noAgent = null;
        var queuedSince = DateTime.UtcNow;
        await console.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var task = progress.AddTask($"run {runId.ToString(CultureInfo.InvariantCulture)}: queued", maxValue: 1);
            while (true)
            {
                last = await runs.ProgressAsync(runId, cancellationToken).ConfigureAwait(false);
                if (last is null) return;
                task.Description = Describe(runId, last);
                task.MaxValue = Math.Max(1, last.Found);
                task.Value = last.Skipped + last.Failed + last.Segmented;
                if (last.Finished)
                {
                    task.Value = task.MaxValue;
                    task.StopTask();
                    return;
                }
                if (last.JobState == Storage.Queue.WorkState.Queued && last.Attempts == 0)
                {
                    // A busy agent (another job running) will get to it; with none serving it would wait forever.
                    if (await AnyJobRunningAsync(dataSource, cancellationToken).ConfigureAwait(false)) queuedSince = DateTime.UtcNow;
                    else if (DateTime.UtcNow - queuedSince > startTimeout)
                    {
                        noAgent = string.Create(CultureInfo.InvariantCulture,
                            $"run {runId} is queued, but no agent started it within {startTimeout.TotalSeconds} s: is 'agent serve' running with Agent:Jobs:Workers > 0? It runs as soon as one is.");
                        return;
                    }
                }
                await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        if (noAgent is not null)
        {
            await context.Error.WriteLineAsync("agent reanalyze: " + noAgent).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        if (last is null)
        {
            await context.Error.WriteLineAsync($"agent reanalyze: run {runId} disappeared").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        foreach (var series in await runs.SeriesAsync(runId, cancellationToken).ConfigureAwait(false))
        {
            var outcome = series.JobState is { } js ? $"{series.State}, segment job {series.JobId} {js}{(series.JobError is { } je ? ": " + je : "")}" : series.State;
            await context.Out.WriteLineAsync($"  {series.SeriesInstanceUid} {series.Modality} \"{series.SeriesDescription}\": {outcome}; {series.Reason}").ConfigureAwait(false);
        }
        await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"run {runId}: {last.Found} found, {last.Skipped} skipped, {last.Retrieved} retrieved, {last.Queued} queued, {last.Segmented} segmented, {last.Failed} failed")).ConfigureAwait(false);
        if ((last.Error ?? last.JobError) is { } error) await context.Error.WriteLineAsync($"agent reanalyze: run {runId} failed: {error}").ConfigureAwait(false);
        return last.HasFailures ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static string Describe(long runId, RunProgress p) => p.RunState switch
    {
        "queued" => FormattableString.Invariant($"run {runId}: waiting for the agent"),
        "querying" => FormattableString.Invariant($"run {runId}: C-FIND on {p.Source}"),
        "retrieving" => FormattableString.Invariant($"run {runId}: retrieving {p.Retrieved + p.Skipped + p.Failed}/{p.Found}"),
        "failed" => FormattableString.Invariant($"run {runId}: failed (attempt {p.Attempts})"),
        _ => FormattableString.Invariant($"run {runId}: segmenting {p.Segmented}/{p.Queued}"),
    };

    private static async Task<bool> AnyJobRunningAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM jobs WHERE state = 'running' AND lease_expires_at > now())");
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    private static string Describe(IReadOnlyDictionary<string, string> query) => string.Join(" ", query.Select(kv => $"{kv.Key}={kv.Value}"));

    private static string Known(IEnumerable<string> names) => ReanalysisOptionsValidator.Known(names);
}
