using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Agent.Benchmarks;

/// <summary>
/// The agent's full durable ingest (SCP -> tmp file, fsync, header parse, rename, directory fsync, PostgreSQL index
/// commit, then success) receiving a 500-slice 512x512 16-bit CT series from DCMTK storescu, beside DCMTK storescp
/// (non-durable) on the same files in the same run. Target (issue 3): ratio &lt;= 1.5. The agent runs with an embedded
/// PostgreSQL in a temporary home, exactly as <c>agent serve</c> does with no configuration.
/// </summary>
public static class IngestBenchmark
{
    [BenchmarkCommand("ingest", "[SLICES]")]
    public static async Task<int> RunAsync(string[] args)
    {
        int slices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var root = Directory.CreateTempSubdirectory("agent-bench-ingest-").FullName;
        // The embedded server runs as 'postgres' when we are root and must traverse the home.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        try
        {
            var source = Directory.CreateDirectory(Path.Combine(root, "series")).FullName;
            SyntheticSeries.Write(source, slices);
            var bytes = Directory.GetFiles(source).Sum(f => new FileInfo(f).Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"series: {slices} files, {bytes / 1e6:F1} MB"));

            var warm = await StoreReceiveBenchmark.TimeDcmtkAsync(source, Path.Combine(root, "dcmtk-warm"));
            var dcmtk = await StoreReceiveBenchmark.TimeDcmtkAsync(source, Path.Combine(root, "dcmtk"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DCMTK storescp (no fsync): {dcmtk.TotalSeconds:F2} s (warm-up {warm.TotalSeconds:F2} s)"));

            var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(home, (UnixFileMode)0b111_101_101);
            var configuration = new ConfigurationBuilder()
                .AddConfiguration(AgentConfiguration.Build(home, null, new Dictionary<string, string?>
                {
                    ["AGENT__Dicom__Port"] = "0",
                    ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
                }))
                // storescp is quiet by default too; per-instance Information lines are not what is measured.
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" })
                .Build();
            var settings = AgentSettings.From(configuration, home);
            var steps = new Dictionary<string, (double Sum, long Count)>(StringComparer.Ordinal);
            using var listener = new MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == Agent.Host.Ingest.IngestMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
            {
                lock (steps) steps[instrument.Name] = steps.TryGetValue(instrument.Name, out var s) ? (s.Sum + value, s.Count + 1) : (value, 1);
            });
            listener.Start();
            var startup = Stopwatch.StartNew();
            using var host = AgentHostFactory.Build(configuration, settings);
            await host.StartAsync();
            startup.Stop();
            TimeSpan ours, oursWarm;
            long indexed;
            try
            {
                var port = host.Services.GetRequiredService<DicomServerService>().Port;
                // Warm-up: JIT, connection pool, first-study rows. Same files => duplicates, so a second copy of the
                // series with fresh UIDs would be fairer; the warm-up is a small separate series instead.
                var warmSource = Directory.CreateDirectory(Path.Combine(root, "warm-series")).FullName;
                SyntheticSeries.Write(warmSource, Math.Min(20, slices));
                oursWarm = await StoreReceiveBenchmark.TimeStorescuAsync(warmSource, port, "AGENT");
                lock (steps) steps.Clear();
                ours = await StoreReceiveBenchmark.TimeStorescuAsync(source, port, "AGENT");
                lock (steps)
                {
                    Console.WriteLine("agent per-instance steps (mean ms): " + string.Join(", ", steps.Select(kv =>
                        string.Create(CultureInfo.InvariantCulture, $"{kv.Key["agent.ingest.".Length..]} {kv.Value.Sum / kv.Value.Count:F2}"))));
                }
                var database = host.Services.GetRequiredService<DatabaseAccess>();
                await using var connection = await database.DataSource.OpenConnectionAsync();
                await using var count = new NpgsqlCommand("SELECT count(*) FROM instances", connection);
                indexed = (long)(await count.ExecuteScalarAsync())!;
            }
            finally
            {
                await host.StopAsync();
            }
            var expected = slices + Math.Min(20, slices);
            if (indexed != expected) throw new InvalidOperationException($"expected {expected} indexed instances, found {indexed}");

            var floor = FsyncFloor(Path.Combine(root, "floor"), source);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"disk floor, same files, no network/parse/database: write + fsync + rename + directory fsync: {floor.TotalSeconds:F2} s ({floor.TotalMilliseconds / slices:F2} ms/instance); agent/floor {ours / floor:F2}"));
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agent durable ingest: {ours.TotalSeconds:F2} s ({bytes / 1e6 / ours.TotalSeconds:F0} MB/s, {ours.TotalMilliseconds / slices:F2} ms/instance; warm-up {oursWarm.TotalSeconds:F2} s; host start {startup.Elapsed.TotalSeconds:F1} s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"storescp: {dcmtk.TotalMilliseconds / slices:F2} ms/instance; indexed rows: {indexed}"));
            var ratio = ours.TotalSeconds / dcmtk.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio agent/storescp: {ratio:F2} (target <= 1.5) {(ratio <= 1.5 ? "OK" : "MISSED")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set of this process: {self.PeakWorkingSet64 / 1e6:F0} MB (includes generating the series)"));
            return 0;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { /* the embedded server may still be shutting down */ }
            catch (UnauthorizedAccessException) { /* same */ }
        }
    }

    /// <summary>
    /// What durability-before-acknowledgement costs on this disk by itself, one instance after the other as one
    /// association delivers them: the same bytes written, fsynced, renamed and the directory fsynced. No receiver that
    /// acknowledges each instance only once it is durable can beat this on a single association.
    /// </summary>
    private static TimeSpan FsyncFloor(string folder, string source)
    {
        var incoming = Directory.CreateDirectory(Path.Combine(folder, "incoming")).FullName;
        var final = Directory.CreateDirectory(Path.Combine(folder, "final")).FullName;
        var files = Directory.GetFiles(source);
        var sw = new Stopwatch();
        for (int i = 0; i < files.Length; i++)
        {
            var bytes = File.ReadAllBytes(files[i]); // page-cached source, not timed
            sw.Start();
            var tmp = Path.Combine(incoming, i.ToString(CultureInfo.InvariantCulture) + ".tmp");
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, Path.Combine(final, i.ToString(CultureInfo.InvariantCulture) + ".dcm"));
            Agent.Storage.Files.DirectorySync.Flush(final);
            sw.Stop();
        }
        return sw.Elapsed;
    }
}
