using System.Globalization;
using System.Text;
using Agent.Host.Cli;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Host.Reanalysis;
using Agent.Host.Tests.Delivery;
using Agent.Host.Tests.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Agent.Host.Tests.Reanalysis;

/// <summary>
/// The acceptance test of scheduled re-analysis: Orthanc is the PACS, the agent runs in process on its embedded
/// PostgreSQL, the scheduler's clock is the only thing faked.
/// </summary>
public sealed class ReanalysisAgainstOrthancTests(ITestOutputHelper log)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_scheduled_run_retrieves_past_series_by_c_move_and_its_new_model_outputs_supersede_the_old_ones_in_orthanc()
    {
        using var home = new TempHome();
        await using var orthanc = new OrthancProcess(Path.Combine(home.Path, "orthanc"));
        await orthanc.StartAsync();
        var study = await PastStudy.CreateAsync(Path.Combine(home.Path, "study"));
        await study.UploadAsync(orthanc.DicomPort, "ORTHANC");
        await TinyModel.WriteAsync(Path.Combine(home.Path, "config", "models", "tiny-a"), "0.1.0");
        await TinyModel.WriteAsync(Path.Combine(home.Path, "config", "models", "tiny-b"), "0.2.0");
        await File.WriteAllTextAsync(Path.Combine(home.Path, "config", "rules.yaml"), """
            version: "re-1"
            defaults: {quiet_seconds: 1}
            rules:
              - name: ct
                match: {Modality: CT}
                actions: [run: {model: tiny-ct@0.1.0, send_to: [orthanc]}]
            """);
        var environment = Environment(home.Path, orthanc.DicomPort);
        var configuration = AgentConfiguration.Build(home.Path, null, environment);
        Assert.Empty(AgentOptionsRegistration.Validate(configuration));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 1, 59, 0, TimeSpan.Zero));
        var schedulerLog = new EventLog<ReanalysisScheduler>();
        using var host = AgentHostFactory.Build(configuration, AgentSettings.From(configuration, home.Path), services =>
        {
            // Only the scheduler's clock is fake (so the test decides when 02:00 comes); everything else runs in real time.
            services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ReanalysisScheduler)));
            services.AddHostedService(sp => new ReanalysisScheduler(sp.GetRequiredService<ReanalysisOptions>(), sp.GetRequiredService<IReanalysisEnqueuer>(), clock, schedulerLog));
        });
        await host.StartAsync();
        try
        {
            var agentPort = host.Services.GetRequiredService<DicomServerService>().Port;
            // Orthanc must know where AE title AGENT is to C-MOVE to it.
            var put = await orthanc.Http.PutAsync(orthanc.Url("/modalities/agent"),
                new StringContent(string.Create(CultureInfo.InvariantCulture, $$"""{"AET": "AGENT", "Host": "127.0.0.1", "Port": {{agentPort}}}"""), Encoding.UTF8, "application/json"));
            put.EnsureSuccessStatusCode();
            var dataSource = host.Services.GetRequiredService<DatabaseAccess>().DataSource;
            await using var db = await dataSource.OpenConnectionAsync();

            // Back then: the modality sent the CT abdomen, the rule ran model version A and sent its results to the PACS.
            Assert.Equal(0, await Storescu.Start(agentPort, "MODALITY1", study.PastFiles).WaitAsync(TimeSpan.FromMinutes(3)));
            await UntilAsync(db, "SELECT count(*) = 1 FROM jobs WHERE kind = 'segment' AND state = 'succeeded'");
            await UntilAsync(db, "SELECT count(*) > 0 AND bool_and(state = 'succeeded') FROM deliveries");
            var outputsByA = await ClusterQuery.StringsAsync(db, "SELECT kind FROM outputs ORDER BY id");
            Assert.Contains("SEG", outputsByA);

            // 02:00: the nightly schedule fires once.
            await schedulerLog.WaitForAsync(7004, TimeSpan.FromMinutes(3));
            clock.Advance(TimeSpan.FromMinutes(2));
            await UntilAsync(db, "SELECT count(*) = 1 FROM reanalysis_runs");
            var runId = (long)(await ScalarAsync(db, "SELECT id FROM reanalysis_runs"))!;
            var runs = new ReanalysisRuns(dataSource);
            var deadline = DateTime.UtcNow + Patience;
            RunProgress? progress;
            while ((progress = await runs.ProgressAsync(runId, CancellationToken.None)) is not { Finished: true } && DateTime.UtcNow < deadline) await Task.Delay(250);
            Assert.NotNull(progress);
            var seriesStates = string.Join("; ", (await runs.SeriesAsync(runId, CancellationToken.None)).Select(s => $"{s.Modality} {s.State} job {s.JobId} {s.JobState} {s.JobError}"));
            Assert.True(progress.Finished, $"run {runId} not finished after {Patience}: {progress}; series: {seriesStates}");
            Assert.Equal(("done", "succeeded"), (progress.RunState, progress.JobState));
            // Both CT series are found (the MR is not), retrieved, queued and segmented with version B; nothing failed.
            Assert.Equal((2, 0, 2, 2, 2, 0), (progress.Found, progress.Skipped, progress.Retrieved, progress.Queued, progress.Segmented, progress.Failed));
            await UntilAsync(db, "SELECT count(*) > 0 AND bool_and(state = 'succeeded') FROM deliveries");

            // Provenance: every output of B for the past series supersedes the output of A of the same kind.
            var links = await ClusterQuery.StringsAsync(db, $"""
                SELECT o.kind || '|' || m.version || '|' || COALESCE(om.version, '-') || '|' || COALESCE(old.kind, '-') || '|' || (old.source_series_id = o.source_series_id)::text
                FROM outputs o JOIN models m ON m.id = o.model_id JOIN series s ON s.id = o.source_series_id
                LEFT JOIN outputs old ON old.id = o.supersedes_output_id LEFT JOIN models om ON om.id = old.model_id
                WHERE s.series_instance_uid = '{study.PastUid}' AND m.version = '0.2.0' ORDER BY o.id
                """);
            Assert.Contains("SEG|0.2.0|0.1.0|SEG|true", links);
            Assert.Contains("SR|0.2.0|0.1.0|SR|true", links);
            Assert.All(links, l => Assert.Matches(@"^(SEG|SR|KI)\|0\.2\.0\|0\.1\.0\|\1\|true$", l));
            var decision = (string)(await ScalarAsync(db, $"""
                SELECT d.rule_name || '|' || d.matched::text || '|' || d.reason FROM rule_decisions d JOIN series s ON s.id = d.series_id
                WHERE s.series_instance_uid = '{study.PastUid}' AND d.rule_name LIKE 'reanalysis:%'
                """))!;
            Assert.StartsWith("reanalysis:nightly|true|re-analysis with tiny-ct@0.2.0; previous outputs by tiny-ct@0.1.0", decision, StringComparison.Ordinal);

            // The delayed series came in only through the run's C-MOVE: the routing rules recorded why they left it alone.
            await UntilAsync(db, $"SELECT s.routed_at IS NOT NULL FROM series s WHERE s.series_instance_uid = '{study.DelayedUid}'");
            var delayedDecisions = await ClusterQuery.StringsAsync(db, $"""
                SELECT d.rule_name || '|' || d.matched::text || '|' || d.reason FROM rule_decisions d JOIN series s ON s.id = d.series_id
                WHERE s.series_instance_uid = '{study.DelayedUid}' ORDER BY d.id
                """);
            Assert.Equal(2, delayedDecisions.Count);
            Assert.Contains(delayedDecisions, d => d.StartsWith("reanalysis:nightly|true|re-analysis with tiny-ct@0.2.0; no previous outputs", StringComparison.Ordinal));
            Assert.Contains($"reanalysis:nightly|false|not routed: retrieved from pacs by re-analysis run {runId}, which runs its own pipeline", delayedDecisions);
            // The normal rules did not also run: one segment job per CT series from the run (model B), plus the original one (model A).
            var segmentJobs = await ClusterQuery.StringsAsync(db, """
                SELECT s.series_instance_uid || '|' || (j.payload->>'ModelVersion') || '|' || (j.payload->>'Supersede')
                FROM jobs j JOIN series s ON s.id = j.series_id WHERE j.kind = 'segment' ORDER BY j.id
                """);
            Assert.Equal(new[] { $"{study.PastUid}|0.1.0|false", $"{study.PastUid}|0.2.0|true", $"{study.DelayedUid}|0.2.0|true" }.Order(StringComparer.Ordinal),
                segmentJobs.Order(StringComparer.Ordinal));

            // Orthanc holds every new output (SEG, SR, key images) in the source study.
            var newOutputs = await ClusterQuery.StringsAsync(db, "SELECT o.sop_instance_uid FROM outputs o JOIN models m ON m.id = o.model_id WHERE m.version = '0.2.0'");
            Assert.True(newOutputs.Count >= 6, string.Join(", ", newOutputs));
            foreach (var uid in newOutputs)
            {
                var found = await orthanc.PostJsonAsync("/tools/lookup", uid);
                var instance = found.EnumerateArray().Single(e => e.GetProperty("Type").GetString() == "Instance");
                var tags = await orthanc.GetJsonAsync($"/instances/{instance.GetProperty("ID").GetString()}/simplified-tags");
                Assert.Equal(study.StudyUid, tags.GetProperty("StudyInstanceUID").GetString());
            }

            // Run again by hand: everything already has version B's outputs, so both series are skipped, with the reason.
            var output = new StringWriter();
            var error = new StringWriter();
            var exit = await CliApp.RunAsync(["reanalyze", "--schedule", "nightly"], new CliContext { Out = output, Error = error, Environment = environment }, CancellationToken.None);
            log.WriteLine(error.ToString() + output);
            Assert.True(exit == ExitCodes.Ok, output + error.ToString());
            Assert.Contains("2 found, 2 skipped, 0 retrieved, 0 queued, 0 segmented, 0 failed", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("skipped; already has", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    internal static Dictionary<string, string?> Environment(string home, int pacsPort) => new()
    {
        ["AGENT_HOME"] = home,
        ["AGENT__Dicom__Port"] = "0",
        ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
        ["AGENT__Jobs__PollSeconds"] = "1",
        ["AGENT__Routing__Device"] = "cpu",
        ["AGENT__Destinations__orthanc__AeTitle"] = "ORTHANC",
        ["AGENT__Destinations__orthanc__Host"] = "127.0.0.1",
        ["AGENT__Destinations__orthanc__Port"] = pacsPort.ToString(CultureInfo.InvariantCulture),
        ["AGENT__Destinations__orthanc__BaseDelaySeconds"] = "1",
        ["AGENT__Reanalysis__Sources__pacs__AeTitle"] = "ORTHANC",
        ["AGENT__Reanalysis__Sources__pacs__Host"] = "127.0.0.1",
        ["AGENT__Reanalysis__Sources__pacs__Port"] = pacsPort.ToString(CultureInfo.InvariantCulture),
        ["AGENT__Reanalysis__Sources__pacs__RetrieveTimeoutSeconds"] = "60",
        ["AGENT__Reanalysis__Schedules__nightly__Cron"] = "0 2 * * *",
        ["AGENT__Reanalysis__Schedules__nightly__Source"] = "pacs",
        ["AGENT__Reanalysis__Schedules__nightly__Query__StudyDate"] = "19000101-",
        ["AGENT__Reanalysis__Schedules__nightly__Query__Modality"] = "CT",
        ["AGENT__Reanalysis__Schedules__nightly__Model"] = "tiny-ct@0.2.0",
        ["AGENT__Reanalysis__Schedules__nightly__SendTo__0"] = "orthanc",
    };

    internal static async Task UntilAsync(NpgsqlConnection db, string sql)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (await ScalarAsync(db, sql) is not true)
        {
            if (DateTime.UtcNow > deadline)
            {
                var jobs = await ClusterQuery.StringsAsync(db, "SELECT id || ' ' || kind || ' ' || state || ' ' || COALESCE(last_error, '') FROM jobs ORDER BY id");
                var deliveries = await ClusterQuery.StringsAsync(db, "SELECT id || ' ' || destination || ' ' || state || ' ' || attempts || ' ' || COALESCE(last_error, '') FROM deliveries ORDER BY id");
                Assert.Fail($"timed out waiting for: {sql}\njobs:\n{string.Join("\n", jobs)}\ndeliveries:\n{string.Join("\n", deliveries)}");
            }
            await Task.Delay(250);
        }
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection db, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, db);
        return await cmd.ExecuteScalarAsync();
    }
}
