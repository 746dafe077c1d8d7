using System.Net;
using System.Text.Json;
using Agent.Dicom;
using Agent.Host.Hosting;
using Agent.Host.Ingest;
using Agent.Storage.Provenance;
using Agent.Storage.Queue;
using Dapper;

namespace Agent.Host.Routing;

/// <summary>What became of one attempt to route a series.</summary>
public abstract record RouteAttempt
{
    private RouteAttempt() { }

    /// <summary>Decisions and jobs are stored.</summary>
    public sealed record Routed(RoutingDecision Decision, RoutingResult Stored, bool Rearrival) : RouteAttempt;

    /// <summary>A rule that fired still waits for its quiet period (or study); try again after <see cref="Wait"/>.</summary>
    public sealed record NotYet(TimeSpan Wait) : RouteAttempt;

    /// <summary>Already routed (by us or another agent process), or no longer indexed: nothing to do.</summary>
    public sealed record Nothing(string Why) : RouteAttempt;
}

/// <summary>
/// Routes one series: evaluates the current rules against its first instance's header and its association, checks
/// the fired rules' completion (quiet period since the last instance of the series or study, or the expected count),
/// applies the re-arrival policy, and stores every rule's decision plus the jobs in one transaction
/// (<see cref="SeriesRouting"/>: a series is claimed once, so no study is processed twice by accident).
/// </summary>
public sealed class SeriesRouter(DatabaseAccess database, InstanceStore store, RulesProvider rules, TimeProvider time, ISeriesClaims? claims = null)
{
    public const string SegmentKind = "segment";
    public const string ForwardKind = "forward-series";
    public const string NotifyKind = "notify";

    public async Task<RouteAttempt> TryRouteAsync(string seriesInstanceUid, CancellationToken cancellationToken)
    {
        var index = new InstanceIndex(database.DataSource);
        var series = await index.FindSeriesAsync(seriesInstanceUid, cancellationToken).ConfigureAwait(false);
        if (series is null) return new RouteAttempt.Nothing("not indexed");
        if (series.RoutedAt is not null) return new RouteAttempt.Nothing("already routed");
        var instances = await index.GetSeriesInstancesAsync(seriesInstanceUid, cancellationToken).ConfigureAwait(false);
        if (instances.Count == 0) return new RouteAttempt.Nothing("no instances");

        var ruleSet = rules.Current;
        var facts = await FactsAsync(series, instances[0], instances.Count, cancellationToken).ConfigureAwait(false);
        var decision = RuleEvaluator.Evaluate(ruleSet, facts);

        var now = time.GetUtcNow().UtcDateTime;
        var wait = TimeSpan.Zero;
        var policies = decision.Fired.Select(o => o.Rule.Completion).DefaultIfEmpty(ruleSet.Defaults);
        foreach (var policy in policies)
        {
            if (policy.ExpectedCount is { } expected && instances.Count >= expected) continue;
            var last = policy.Level == CompletionLevel.Study
                ? await StudyLastReceivedAsync(series.StudyRowId, cancellationToken).ConfigureAwait(false)
                : series.LastReceivedAt;
            var remaining = (last ?? now) + policy.QuietPeriod - now;
            if (remaining > wait) wait = remaining;
        }
        if (wait > TimeSpan.Zero) return new RouteAttempt.NotYet(wait);

        if (claims is not null && await claims.ClaimedAsync(series, cancellationToken).ConfigureAwait(false) is { } claim)
        {
            // Recorded like a routing (the series is marked routed) so it is not evaluated again for the same arrivals.
            var skip = new RuleDecision { SeriesId = series.Id, StudyId = series.StudyRowId, RuleName = claim.RuleName, Matched = false, Reason = claim.Reason };
            var claimed = await new SeriesRouting(database.DataSource).RouteAsync(series.Id, [new RoutedDecision(skip, null)], cancellationToken).ConfigureAwait(false);
            return new RouteAttempt.Nothing(claimed is null ? "routed meanwhile by another process" : claim.Reason);
        }
        var earlier = await new RuleDecisionRepository(database.DataSource).ForSeriesAsync(series.Id, cancellationToken).ConfigureAwait(false);
        var routings = earlier.Where(d => !d.DryRun).Select(d => d.RuleName).Count(n => n is not null && n.StartsWith(RoutingMarker, StringComparison.Ordinal));
        var rearrival = routings > 0;
        var routed = BuildDecisions(series, instances.Count, decision, rearrival, routings);
        var stored = await new SeriesRouting(database.DataSource).RouteAsync(series.Id, routed, cancellationToken).ConfigureAwait(false);
        return stored is null ? new RouteAttempt.Nothing("routed meanwhile by another process") : new RouteAttempt.Routed(decision, stored, rearrival);
    }

    // One summary row per routing makes "how many times was this series routed" a count.
    private const string RoutingMarker = "(routing)";

    private static List<RoutedDecision> BuildDecisions(IndexedSeries series, int count, RoutingDecision decision, bool rearrival, int previousRoutings)
    {
        var version = decision.Rules.Version;
        var list = new List<RoutedDecision>
        {
            new(new RuleDecision
            {
                SeriesId = series.Id,
                StudyId = series.StudyRowId,
                RuleName = $"{RoutingMarker}@{version}",
                Matched = decision.AnyFired,
                Reason = (rearrival ? $"re-arrival #{previousRoutings}: " : "") + $"{count} instance(s); fired: " +
                         (decision.AnyFired ? string.Join(", ", decision.Fired.Select(o => o.Rule.Name)) : "none"),
            }, null),
        };
        foreach (var outcome in decision.Outcomes)
        {
            var rule = outcome.Rule;
            var name = $"{rule.Name}@{version}";
            RuleDecision Row(bool matched, string reason, string? pipeline = null) => new()
            {
                SeriesId = series.Id,
                StudyId = series.StudyRowId,
                RuleName = name,
                Matched = matched,
                Pipeline = pipeline,
                Reason = reason,
            };
            if (!outcome.Fired)
            {
                list.Add(new(Row(false, (outcome.Matched ? "shadowed: " : "not matched: ") + outcome.Reason), null));
                continue;
            }
            if (rearrival && rule.Completion.OnRearrival == RearrivalPolicy.Ignore)
            {
                list.Add(new(Row(true, "matched: " + outcome.Reason + "; more instances arrived after routing, on_rearrival: ignore"), null));
                continue;
            }
            var supersede = rearrival && rule.Completion.OnRearrival == RearrivalPolicy.RerunSupersede;
            var suffix = rearrival ? $":rerun{previousRoutings}" : "";
            foreach (var action in rule.Actions)
            {
                var reason = "matched: " + outcome.Reason;
                switch (action)
                {
                    case RunAction run:
                        var pipeline = $"{run.Pipeline}:{run.ModelSpec}";
                        list.Add(new(Row(true, reason, pipeline), new JobRequest
                        {
                            Kind = SegmentKind,
                            IdempotencyKey = $"segment:{series.SeriesInstanceUid}:{run.ModelSpec}{suffix}",
                            Priority = rule.Priority,
                            StudyId = series.StudyRowId,
                            SeriesId = series.Id,
                            Pipeline = pipeline,
                            PayloadJson = JsonSerializer.Serialize(new SegmentJobPayload
                            {
                                SeriesInstanceUid = series.SeriesInstanceUid,
                                StudyInstanceUid = series.StudyInstanceUid,
                                Model = run.Model,
                                ModelVersion = run.ModelVersion,
                                Rule = name,
                                Destinations = run.SendTo,
                                Supersede = supersede,
                            }),
                        }));
                        break;
                    case ForwardAction forward:
                        list.Add(new(Row(true, reason, "forward:" + string.Join(",", forward.Destinations)), new JobRequest
                        {
                            Kind = ForwardKind,
                            IdempotencyKey = $"forward:{series.SeriesInstanceUid}:{string.Join(",", forward.Destinations)}{suffix}",
                            Priority = rule.Priority,
                            StudyId = series.StudyRowId,
                            SeriesId = series.Id,
                            PayloadJson = JsonSerializer.Serialize(new { seriesInstanceUid = series.SeriesInstanceUid, destinations = forward.Destinations }),
                        }));
                        break;
                    case NotifyAction notify:
                        list.Add(new(Row(true, reason, "notify"), new JobRequest
                        {
                            Kind = NotifyKind,
                            IdempotencyKey = $"notify:{series.SeriesInstanceUid}:{name}:{notify.Url}{suffix}",
                            StudyId = series.StudyRowId,
                            SeriesId = series.Id,
                            PayloadJson = JsonSerializer.Serialize(new { url = notify.Url.ToString(), seriesInstanceUid = series.SeriesInstanceUid, studyInstanceUid = series.StudyInstanceUid, rule = name, reason = outcome.Reason }),
                        }));
                        break;
                    case IgnoreAction:
                        list.Add(new(Row(true, reason + "; action: ignore"), null));
                        break;
                }
            }
        }
        return list;
    }

    private async Task<RoutingFacts> FactsAsync(IndexedSeries series, Storage.Provenance.IndexedInstance first, int count, CancellationToken cancellationToken)
    {
        DicomDataset header;
        try
        {
            header = RoutingFacts.ReadHeader(Path.Combine(store.DataFolder, first.FilePath), cancellationToken);
        }
        catch (Exception e) when (e is IOException or DicomFormatException or UnauthorizedAccessException)
        {
            // The index still knows the main attributes; rules on other elements then see them as missing.
            header = new DicomDataset();
            if (series.Modality is { } m) header.AddOrUpdate(new DicomTag(0x00080060), m);
        }
        string? calling = null, called = null;
        IPAddress? source = null;
        if (first.AssociationId is { } id)
        {
            await using var conn = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var row = await conn.QuerySingleOrDefaultAsync<(string Calling, string Called, string Remote)>(new CommandDefinition(
                "SELECT calling_ae, called_ae, remote_address FROM associations WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (row.Calling is not null)
            {
                calling = row.Calling;
                called = row.Called;
                source = IPAddress.TryParse(row.Remote, out var a) ? a : IPEndPoint.TryParse(row.Remote, out var ep) ? ep.Address : null;
            }
        }
        return new RoutingFacts(header) { CallingAe = calling, CalledAe = called, Source = source, At = time.GetUtcNow(), InstanceCount = count };
    }

    private async Task<DateTime?> StudyLastReceivedAsync(long studyRowId, CancellationToken cancellationToken)
    {
        await using var conn = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT max(i.received_at) FROM instances i JOIN series s ON s.id = i.series_id WHERE s.study_id = @studyRowId",
            new { studyRowId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}

/// <summary>Takes series away from the routing rules, e.g. those a re-analysis run retrieved for itself.</summary>
public interface ISeriesClaims
{
    /// <summary>The rule name and reason to record when the series' instances are claimed; null when the rules apply.</summary>
    Task<(string RuleName, string Reason)?> ClaimedAsync(IndexedSeries series, CancellationToken cancellationToken);
}

/// <summary>Payload of a <c>segment</c> job.</summary>
public sealed class SegmentJobPayload
{
    public string SeriesInstanceUid { get; init; } = "";

    public string StudyInstanceUid { get; init; } = "";

    public string Model { get; init; } = "";

    public string? ModelVersion { get; init; }

    public string? Rule { get; init; }

    public IReadOnlyList<string> Destinations { get; init; } = [];

    /// <summary>Outputs replace those of the series' earlier run (re-arrival or re-analysis).</summary>
    public bool Supersede { get; init; }
}
