using System.Text.Json;
using System.Text.Json.Serialization;
using Agent.Host.Delivery;
using Agent.Host.Hosting;
using Agent.Host.Ingest;
using Agent.Host.Jobs;
using Agent.Host.Routing;
using Agent.Storage.Provenance;
using Agent.Storage.Queue;
using Microsoft.Extensions.Options;

namespace Agent.Host.Pipelines;

/// <summary>
/// <c>forward-series</c> jobs (a rule's <c>forward: [DEST...]</c>): queues every received instance of the series for
/// each destination in the job's completion transaction; the delivery outbox then sends them, one association per
/// destination for the whole series, retrying with backoff and recording every attempt with its DIMSE status.
/// Idempotent: an instance is queued once per destination, so a re-run (crash, re-arrival) adds only new instances.
/// </summary>
public sealed class ForwardSeriesJob(DatabaseAccess database, IOptions<DestinationsOptions> destinations) : IJobHandler
{
    public string Kind => SeriesRouter.ForwardKind;

    public async Task<JobOutcome> RunAsync(JobLease lease, string worker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ForwardJobPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<ForwardJobPayload>(lease.PayloadJson);
        }
        catch (JsonException e)
        {
            return new JobOutcome { Error = "payload is not a forward job: " + e.Message, Permanent = true };
        }
        if (payload is null || DicomUid.Normalize(payload.SeriesInstanceUid) is not { } seriesUid)
            return new JobOutcome { Error = "payload needs a valid seriesInstanceUid", Permanent = true };
        var names = payload.Destinations.Where(d => !string.IsNullOrWhiteSpace(d)).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return new JobOutcome { Error = "payload names no destination", Permanent = true };

        var index = new InstanceIndex(database.DataSource);
        var series = await index.FindSeriesAsync(seriesUid, cancellationToken).ConfigureAwait(false);
        if (series is null) return new JobOutcome { Error = $"series {seriesUid} is not indexed", Permanent = true };
        if (series.InstanceCount == 0) return new JobOutcome { Error = $"series {seriesUid} has no indexed instances", Permanent = true };

        // A destination removed from the configuration since the rule was loaded: its deliveries wait (visibly) until it is back.
        var configured = destinations.Value;
        var unconfigured = names.Where(n => !configured.ContainsKey(n)).ToList();
        return new JobOutcome
        {
            Forwards = names.Select(n => new SeriesForward(series.Id, n, configured.TryGetValue(n, out var d) ? d.MaxAttempts : new DestinationOptions().MaxAttempts)).ToList(),
            ResultJson = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["seriesInstanceUid"] = seriesUid,
                ["instances"] = series.InstanceCount,
                ["destinations"] = names,
                ["unconfigured"] = unconfigured,
                ["worker"] = worker,
            }),
        };
    }
}

/// <summary>Payload of a <c>forward-series</c> job, as <see cref="SeriesRouter"/> writes it.</summary>
public sealed class ForwardJobPayload
{
    [JsonPropertyName("seriesInstanceUid")]
    public string SeriesInstanceUid { get; init; } = "";

    [JsonPropertyName("destinations")]
    public IReadOnlyList<string> Destinations { get; init; } = [];
}
