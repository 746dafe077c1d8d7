using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Agent.Host.Hosting;
using Agent.Host.Ingest;
using Agent.Storage.Provenance;
using Agent.Storage.Queue;

namespace Agent.Host.Jobs;

/// <summary>
/// <c>verify-series</c> (payload <c>{"seriesInstanceUid": "..."}</c>): fixity check of a received series: every indexed
/// instance's file is read back and its SHA-256 compared with the index. The result lists what is missing or changed.
/// Read-only, hence idempotent.
/// </summary>
public sealed class VerifySeriesJob(DatabaseAccess database, InstanceStore store) : IJobHandler
{
    public const string KindName = "verify-series";

    public string Kind => KindName;

    public async Task<JobOutcome> RunAsync(JobLease lease, string worker, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        string? series;
        try
        {
            using var payload = JsonDocument.Parse(lease.PayloadJson);
            series = payload.RootElement.TryGetProperty("seriesInstanceUid", out var s) ? s.GetString() : null;
        }
        catch (JsonException e)
        {
            return new JobOutcome { Error = "payload is not JSON: " + e.Message, Permanent = true };
        }
        if (DicomUid.Normalize(series) is not { } seriesUid)
            return new JobOutcome { Error = "payload needs a valid seriesInstanceUid", Permanent = true };

        var instances = await new InstanceIndex(database.DataSource).GetSeriesInstancesAsync(seriesUid, cancellationToken).ConfigureAwait(false);
        var missing = new List<string>();
        var changed = new List<string>();
        foreach (var instance in instances)
        {
            var path = Path.GetFullPath(Path.Combine(store.DataFolder, instance.FilePath));
            if (!path.StartsWith(store.InstancesFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
            {
                missing.Add(instance.SopInstanceUid);
                continue;
            }
            await using var stream = File.OpenRead(path);
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
            if (!string.Equals(sha, instance.Sha256, StringComparison.Ordinal)) changed.Add(instance.SopInstanceUid);
        }
        var result = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["seriesInstanceUid"] = seriesUid,
            ["instances"] = instances.Count,
            ["missing"] = missing,
            ["changed"] = changed,
            ["worker"] = worker,
        });
        return new JobOutcome
        {
            ResultJson = result,
            Device = "cpu",
            SoftwareVersion = typeof(VerifySeriesJob).Assembly.GetName().Version?.ToString(),
            TimingsJson = JsonSerializer.Serialize(new Dictionary<string, long> { ["verify_ms"] = (long)watch.Elapsed.TotalMilliseconds }),
        };
    }

    public static string Payload(string seriesInstanceUid) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["seriesInstanceUid"] = seriesInstanceUid.ToString(CultureInfo.InvariantCulture) });
}
