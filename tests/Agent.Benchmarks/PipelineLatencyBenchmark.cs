using System.Diagnostics;
using System.Globalization;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Host.Tests.Delivery;
using Agent.Imaging.Phantom;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Agent.Benchmarks;

/// <summary>
/// The whole product on one CT: DCMTK storescu sends a ~480-slice 512x512 phantom to the agent (embedded PostgreSQL,
/// the bundled model, a rule that sends results to a real Orthanc); the clock runs from the last instance the agent
/// received to the last output (SEG, SR, key images) Orthanc acknowledged. Target (issue 7): under 60 s on 2 cores.
/// Every step comes from the agent's own provenance timestamps, so the breakdown is what an administrator would see.
/// </summary>
public static class PipelineLatencyBenchmark
{
    [BenchmarkCommand("pipeline", "[SLICES] [QUIET_SECONDS] [MODEL_DIR]")]
    public static async Task<int> RunAsync(string[] args)
    {
        int slices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 480;
        int quiet = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var modelDir = Path.GetFullPath(args.Length > 2 ? args[2] : Path.Combine(Agent.Tests.Shared.RepositoryRoot.Find(), "config", "models", "abdomen-ct-3d"));
        var root = Directory.CreateTempSubdirectory("agent-bench-pipeline-").FullName;
        // The embedded server runs as 'postgres' when we are root and must traverse the home.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        await using var orthanc = new OrthancProcess(Path.Combine(root, "orthanc"));
        try
        {
            var sendFolder = Path.Combine(root, "send");
            await WritePhantomAsync(slices, sendFolder, modelDir);

            var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(home, (UnixFileMode)0b111_101_101);
            CopyFolder(modelDir, Path.Combine(home, "config", "models", "abdomen-ct-3d"));
            await File.WriteAllTextAsync(Path.Combine(home, "config", "rules.yaml"), $$"""
                version: "bench"
                defaults: {quiet_seconds: {{quiet}}}
                rules:
                  - name: ct-abdomen
                    match: {Modality: CT}
                    actions:
                      - run:
                          model: abdomen-ct-3d
                          send_to: [pacs]
                """);
            await orthanc.StartAsync();
            var configuration = new ConfigurationBuilder()
                .AddConfiguration(AgentConfiguration.Build(home, null, new Dictionary<string, string?>
                {
                    ["AGENT__Dicom__Port"] = "0",
                    ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
                    ["AGENT__Routing__Device"] = "cpu",
                    ["AGENT__Destinations__pacs__AeTitle"] = "ORTHANC",
                    ["AGENT__Destinations__pacs__Host"] = "127.0.0.1",
                    ["AGENT__Destinations__pacs__Port"] = orthanc.DicomPort.ToString(CultureInfo.InvariantCulture),
                }))
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" })
                .Build();
            var settings = AgentSettings.From(configuration, home);
            using var host = AgentHostFactory.Build(configuration, settings);
            await host.StartAsync();
            try
            {
                var port = host.Services.GetRequiredService<DicomServerService>().Port;
                var send = await StoreReceiveBenchmark.TimeStorescuAsync(Path.Combine(sendFolder, "dicom"), port, "AGENT");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"storescu -> agent: {send.TotalSeconds:F1} s"));
                var database = host.Services.GetRequiredService<DatabaseAccess>();
                await using var connection = await database.DataSource.OpenConnectionAsync();
                await WaitForDeliveriesAsync(connection, TimeSpan.FromMinutes(15));
                return await ReportAsync(connection, quiet);
            }
            finally
            {
                await host.StopAsync();
            }
        }
        finally
        {
            await orthanc.StopAsync();
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { /* the embedded server may still be shutting down */ }
            catch (UnauthorizedAccessException) { /* same */ }
        }
    }

    private static async Task WritePhantomAsync(int slices, string folder, string modelDir)
    {
        var phantom = GeneratePhantom(slices);
        var files = await PhantomWriter.WriteAsync(phantom, folder, CancellationToken.None);
        var scan = phantom.Scan;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"phantom: {files.Count} slices {scan.Matrix}x{scan.Matrix}, {scan.PixelSpacing:F2} mm pixels, {scan.SliceSpacing:F2} mm apart; model {modelDir}"));
    }

    private static PhantomCase GeneratePhantom(int slices)
    {
        const int seed = 2003; // a held-out seed: never used in training
        // Same seed, same anatomy and z-range whatever the matrix: a tiny probe tells the spacing that gives ~SLICES.
        var probe = PhantomGenerator.Generate(new PhantomOptions { Seed = seed, Matrix = 8, PixelSpacing = 0.8, SliceSpacing = 1, CreateDicom = false });
        double spacing = (probe.Scan.SliceCount - 1) / (double)Math.Max(1, slices - 1);
        return PhantomGenerator.Generate(new PhantomOptions { Seed = seed, Matrix = 512, PixelSpacing = 0.8, SliceSpacing = spacing });
    }

    private static async Task WaitForDeliveriesAsync(NpgsqlConnection connection, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT (SELECT count(*) FROM jobs WHERE state IN ('failed', 'cancelled')),
                       (SELECT count(*) FROM jobs WHERE state = 'succeeded'),
                       (SELECT count(*) FROM deliveries),
                       (SELECT count(*) FROM deliveries WHERE state IN ('succeeded', 'failed', 'cancelled'))
                """, connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            long failedJobs = reader.GetInt64(0), doneJobs = reader.GetInt64(1), deliveries = reader.GetInt64(2), finished = reader.GetInt64(3);
            if (failedJobs > 0) throw new InvalidOperationException("the segment job failed: see the jobs table's last_error");
            if (doneJobs > 0 && deliveries > 0 && finished == deliveries) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"outputs not delivered within {timeout.TotalMinutes} min");
    }

    private static async Task<int> ReportAsync(NpgsqlConnection connection, int quiet)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT (SELECT max(received_at) FROM instances),
                   (SELECT min(decided_at) FROM rule_decisions),
                   j.created_at, j.started_at, j.finished_at, j.timings::text,
                   (SELECT max(finished_at) FROM deliveries),
                   (SELECT count(*) FROM deliveries WHERE state = 'succeeded'),
                   (SELECT count(*) FROM deliveries),
                   (SELECT string_agg(DISTINCT kind, ',') FROM outputs)
            FROM jobs j WHERE j.kind = 'segment'
            """, connection);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        DateTime last = r.GetDateTime(0), routed = r.GetDateTime(1), queued = r.GetDateTime(2), started = r.GetDateTime(3), finished = r.GetDateTime(4);
        var timings = r.IsDBNull(5) ? "{}" : r.GetString(5);
        DateTime delivered = r.GetDateTime(6);
        long ok = r.GetInt64(7), all = r.GetInt64(8);
        var kinds = r.GetString(9);
        string S(DateTime a, DateTime b) => ((b - a).TotalSeconds).ToString("F1", CultureInfo.InvariantCulture);
        Console.WriteLine($"last instance -> rule decision: {S(last, routed)} s (quiet period {quiet} s)");
        Console.WriteLine($"rule decision -> job started:  {S(routed, started)} s (job queued {S(last, queued)} s after the last instance)");
        Console.WriteLine($"segment job:                   {S(started, finished)} s; steps (ms): {timings}");
        Console.WriteLine($"job end -> last output acked:  {S(finished, delivered)} s ({ok}/{all} deliveries succeeded: {kinds})");
        var total = (delivered - last).TotalSeconds;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"last instance received -> last output acknowledged by Orthanc: {total:F1} s (target < 60 s) {(total < 60 && ok == all ? "OK" : "MISSED")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set of this process (agent + phantom generation): {self.PeakWorkingSet64 / 1e6:F0} MB"));
        return ok == all ? 0 : 1;
    }

    private static void CopyFolder(string from, string to)
    {
        if (!File.Exists(Path.Combine(from, "model.json"))) throw new FileNotFoundException($"no model package in {from} (train it: see config/models/abdomen-ct-3d/README.md)");
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
