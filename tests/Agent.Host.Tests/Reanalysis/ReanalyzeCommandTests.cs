using System.Globalization;
using Agent.Host.Cli;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Host.Reanalysis;
using Agent.Host.Tests.Delivery;
using Agent.Host.Tests.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Agent.Host.Tests.Reanalysis;

public sealed class ReanalyzeCommandTests(ITestOutputHelper log)
{
    private static async Task<(int Exit, string Out, string Error)> RunAsync(Dictionary<string, string?> environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(["reanalyze", .. args], new CliContext { Out = output, Error = error, Environment = environment }, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Asking_for_a_run_when_no_agent_serves_the_home_says_so_and_fails()
    {
        using var home = new TempHome();
        var (exit, _, error) = await RunAsync(ReanalysisAgainstOrthancTests.Environment(home.Path, 4242),
            "--source", "pacs", "--query", "Modality=CT", "--model", "tiny-ct@0.2.0");
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains($"agent reanalyze: no agent is serving {home.Path}: its embedded database", error, StringComparison.Ordinal);
        Assert.Contains("start 'agent serve' first", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_no_job_worker_picks_up_is_reported_as_queued_with_no_agent_working_and_fails()
    {
        using var home = new TempHome();
        await TinyModel.WriteAsync(Path.Combine(home.Path, "config", "models", "tiny-b"), "0.2.0");
        var environment = ReanalysisAgainstOrthancTests.Environment(home.Path, 4242);
        environment["AGENT__Jobs__Workers"] = "0";
        environment["AGENT__Reanalysis__Schedules__nightly__Enabled"] = "false";
        var configuration = AgentConfiguration.Build(home.Path, null, environment);
        using var host = AgentHostFactory.Build(configuration, AgentSettings.From(configuration, home.Path));
        await host.StartAsync();
        try
        {
            var (exit, _, error) = await RunAsync(environment, "--schedule", "nightly", "--start-timeout", "1");
            Assert.Equal(ExitCodes.Failure, exit);
            Assert.Matches(@"agent reanalyze: run [0-9]+ is queued, but no agent started it within 1 s: is 'agent serve' running with Agent:Jobs:Workers > 0\? It runs as soon as one is\.", error);
            var state = await ClusterQueryAsync(host, "SELECT j.state || '|' || r.schedule || '|' || (r.occurrence IS NULL)::text FROM reanalysis_runs r JOIN jobs j ON j.id = r.id");
            Assert.Equal(["queued|nightly|true"], state);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<List<string>> ClusterQueryAsync(Microsoft.Extensions.Hosting.IHost host, string sql)
    {
        await using var connection = await host.Services.GetRequiredService<DatabaseAccess>().DataSource.OpenConnectionAsync();
        return await ClusterQuery.StringsAsync(connection, sql);
    }

    [Fact]
    public async Task An_unpinned_model_an_unknown_source_or_destination_and_a_bad_query_are_usage_errors_naming_the_option()
    {
        using var home = new TempHome();
        var environment = ReanalysisAgainstOrthancTests.Environment(home.Path, 4242);
        var (exit, _, error) = await RunAsync(environment, "--source", "pcas", "--query", "StudyDate=last week", "--query", "Modality", "--model", "tiny-ct", "--send-to", "nowhere");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("agent reanalyze: --source 'pcas' is not configured under Agent:Reanalysis:Sources (known: pacs)", error, StringComparison.Ordinal);
        Assert.Contains("agent reanalyze: --model 'tiny-ct' has no version: pin one as NAME@VERSION (e.g. tiny-ct@1.0.0)", error, StringComparison.Ordinal);
        Assert.Contains("agent reanalyze: --send-to 'nowhere' is not configured under Agent:Destinations (known: orthanc, pacs)", error, StringComparison.Ordinal);
        Assert.Contains("agent reanalyze: --query 'Modality' must be Keyword=Value", error, StringComparison.Ordinal);
        Assert.Contains("agent reanalyze: --query:StudyDate 'last week' is not a date range", error, StringComparison.Ordinal);

        (exit, _, error) = await RunAsync(environment, "--schedule", "weekly");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--schedule 'weekly' is not configured under Agent:Reanalysis:Schedules (known: nightly)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Series_the_pacs_will_not_move_are_recorded_as_failed_one_by_one_and_the_command_exits_non_zero()
    {
        using var home = new TempHome();
        await using var orthanc = new OrthancProcess(Path.Combine(home.Path, "orthanc"));
        await orthanc.StartAsync();
        var study = await PastStudy.CreateAsync(Path.Combine(home.Path, "study"));
        await study.UploadAsync(orthanc.DicomPort, "ORTHANC");
        await TinyModel.WriteAsync(Path.Combine(home.Path, "config", "models", "tiny-b"), "0.2.0");
        var environment = ReanalysisAgainstOrthancTests.Environment(home.Path, orthanc.DicomPort);
        environment["AGENT__Reanalysis__Schedules__nightly__Enabled"] = "false";
        var configuration = AgentConfiguration.Build(home.Path, null, environment);
        using var host = AgentHostFactory.Build(configuration, AgentSettings.From(configuration, home.Path));
        await host.StartAsync();
        try
        {
            // Orthanc knows AE title AGENT (so it answers its C-FIND), but at a port where nothing listens: every C-MOVE fails.
            var put = await orthanc.Http.PutAsync(orthanc.Url("/modalities/agent"), new StringContent(
                string.Create(CultureInfo.InvariantCulture, $$"""{"AET": "AGENT", "Host": "127.0.0.1", "Port": {{ClosedPort()}}}"""), System.Text.Encoding.UTF8, "application/json"));
            put.EnsureSuccessStatusCode();
            var (exit, output, error) = await RunAsync(environment, "--source", "pacs", "--query", "Modality=CT", "--query", "StudyDate=19000101-",
                "--model", "tiny-ct@0.2.0", "--no-wait");
            Assert.Equal(ExitCodes.Ok, exit);
            Assert.Equal("", error);
            var runId = long.Parse(output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

            (exit, output, error) = await RunAsync(environment, "--source", "pacs", "--query", "Modality=CT", "--query", "StudyDate=19000101-", "--model", "tiny-ct@0.2.0");
            log.WriteLine(error + output);
            Assert.True(exit == ExitCodes.Failure, output + error);
            Assert.Contains("2 found", output + error, StringComparison.Ordinal);
            Assert.Contains(": tiny-ct@0.2.0 on pacs, query Modality=CT StudyDate=19000101-", error, StringComparison.Ordinal);
            Assert.Contains("2 found, 0 skipped, 0 retrieved, 0 queued, 0 segmented, 2 failed", output, StringComparison.Ordinal);
            foreach (var uid in new[] { study.PastUid, study.DelayedUid })
                Assert.Contains($"  {uid} CT ", output, StringComparison.Ordinal);
            Assert.Contains(": failed; C-MOVE 0x", output, StringComparison.Ordinal);

            // The first run (queued without waiting) went the same way.
            var progress = await new ReanalysisRuns(host.Services.GetRequiredService<DatabaseAccess>().DataSource).ProgressAsync(runId, CancellationToken.None);
            Assert.Equal(("done", 2, 2), (progress!.RunState, progress.Found, progress.Failed));
            Assert.Null(progress.Schedule);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
