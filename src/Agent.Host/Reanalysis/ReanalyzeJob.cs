using System.Globalization;
using System.Text.Json;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Host.Jobs;
using Agent.Host.Pipelines;
using Agent.Host.Routing;
using Agent.Storage.Provenance;
using Agent.Storage.Queue;
using Microsoft.Extensions.Logging;

namespace Agent.Host.Reanalysis;

/// <summary>
/// <c>reanalyze</c> jobs: C-FIND the source for the run's query; for each series found, skip it when outputs of this
/// exact model version exist already (or such a job is pending), else claim it (the routing rules then leave its
/// arriving instances alone), C-MOVE it to our own SCP, check the index holds what the move completed, and queue a
/// <c>segment</c> job pinned to the version whose outputs supersede the earlier ones, with a rule decision saying so.
/// One series failing (C-MOVE status, timeout) is recorded and does not stop the others. A retried run (after a
/// crash or a source that could not be queried) keeps the series it already finished.
/// </summary>
public sealed class ReanalyzeJob(AgentSettings settings, ReanalysisOptions options, DatabaseAccess database, ILogger<ReanalyzeJob> logger) : IJobHandler
{
    public string Kind => ReanalysisRuns.JobKind;

    public async Task<JobOutcome> RunAsync(JobLease lease, string worker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ReanalyzeJobPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<ReanalyzeJobPayload>(lease.PayloadJson);
        }
        catch (JsonException e)
        {
            return new JobOutcome { Error = "payload is not a reanalyze job: " + e.Message, Permanent = true };
        }
        if (payload is null) return new JobOutcome { Error = "empty reanalyze payload", Permanent = true };
        var runs = new ReanalysisRuns(database.DataSource);
        await runs.EnsureRunAsync(lease.Id, payload, cancellationToken).ConfigureAwait(false);
        var recorder = new RunRecorder(database.DataSource, lease.Id);

        var (problem, source, model, query) = await PrepareAsync(payload, cancellationToken).ConfigureAwait(false);
        if (problem is not null) return await FailRunAsync(recorder, lease.Id, problem, true, cancellationToken).ConfigureAwait(false);

        await recorder.SetStateAsync("querying", null, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<FoundSeries> found;
        try
        {
            found = await source!.FindSeriesAsync(query!, cancellationToken).ConfigureAwait(false);
        }
        catch (ReanalysisSourceException e)
        {
            return await FailRunAsync(recorder, lease.Id, e.Message, false, cancellationToken).ConfigureAwait(false);
        }
        var rows = await recorder.RecordFoundAsync(found, cancellationToken).ConfigureAwait(false);
        ReanalysisLog.Found(logger, lease.Id, payload.RuleName, payload.Model, rows.Count, source.Name);
        await recorder.SetStateAsync("retrieving", null, cancellationToken).ConfigureAwait(false);

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var taken = rows.Count(r => r.State is "queued" or "retrieved");
        foreach (var row in rows)
        {
            var state = row.State;
            if (state is "found" or "retrieving")
            {
                string reason;
                (state, reason) = await ProcessAsync(recorder, row, payload, model!, source, taken, cancellationToken).ConfigureAwait(false);
                if (state == "queued") taken++;
                ReanalysisLog.SeriesState(logger, lease.Id, row.SeriesInstanceUid, state, reason);
            }
            counts[state] = counts.GetValueOrDefault(state) + 1;
        }
        await recorder.SetStateAsync("done", null, cancellationToken).ConfigureAwait(false);
        ReanalysisLog.Done(logger, lease.Id, rows.Count, counts.GetValueOrDefault("skipped"), counts.GetValueOrDefault("queued"), counts.GetValueOrDefault("failed"));
        return new JobOutcome
        {
            ResultJson = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["found"] = rows.Count,
                ["skipped"] = counts.GetValueOrDefault("skipped"),
                ["queued"] = counts.GetValueOrDefault("queued"),
                ["failed"] = counts.GetValueOrDefault("failed"),
                ["model"] = payload.Model,
                ["worker"] = worker,
            }),
        };
    }

    private async Task<(string? Problem, PacsSource? Source, ModelSpec? Model, ReanalysisQuery? Query)> PrepareAsync(ReanalyzeJobPayload payload,
        CancellationToken cancellationToken)
    {
        if (!options.Sources.TryGetValue(payload.Source, out var sourceOptions))
            return ($"source '{payload.Source}' is not configured in this agent ({ReanalysisOptions.Section}:Sources)", null, null, null);
        var (model, modelError) = ModelSpec.Parse(payload.Model);
        if (model is null) return ($"Model {modelError}", null, null, null);
        if (await ModelCatalog.ForHome(settings.Home).FindAsync(model.Name, model.Version, cancellationToken).ConfigureAwait(false) is null)
            return ($"model package {model} is not installed (config/models)", null, null, null);
        var (query, errors) = ReanalysisQuery.Parse(payload.Query, DateOnly.FromDateTime(DateTime.UtcNow), "query");
        if (query is null) return (string.Join("; ", errors), null, null, null);
        return (null, new PacsSource(payload.Source, sourceOptions, settings.Dicom.AeTitle), model, query);
    }

    private async Task<(string State, string Reason)> ProcessAsync(RunRecorder recorder, SeriesRow row, ReanalyzeJobPayload payload, ModelSpec model,
        PacsSource source, int taken, CancellationToken cancellationToken)
    {
        if (await recorder.SkipReasonAsync(row.SeriesInstanceUid, model, cancellationToken).ConfigureAwait(false) is { } skip)
        {
            await recorder.SkipAsync(row.Id, skip, cancellationToken).ConfigureAwait(false);
            return ("skipped", skip);
        }
        if (taken >= payload.MaxSeries)
        {
            var cap = string.Create(CultureInfo.InvariantCulture, $"MaxSeries ({payload.MaxSeries}) reached for this run");
            await recorder.SkipAsync(row.Id, cap, cancellationToken).ConfigureAwait(false);
            return ("skipped", cap);
        }

        await recorder.ClaimAsync(row.Id, cancellationToken).ConfigureAwait(false);
        var timeout = TimeSpan.FromSeconds(options.Sources[payload.Source].RetrieveTimeoutSeconds);
        var move = await source.MoveSeriesAsync(row.StudyInstanceUid, row.SeriesInstanceUid, settings.Dicom.AeTitle, timeout, cancellationToken).ConfigureAwait(false);
        if (!move.Succeeded)
        {
            await recorder.FailAsync(row.Id, move.Detail, move.Completed, cancellationToken).ConfigureAwait(false);
            return ("failed", move.Detail);
        }

        // Our SCP indexes an instance before it answers the C-STORE, so everything the move completed is indexed now.
        var index = new InstanceIndex(database.DataSource);
        var series = await index.FindSeriesAsync(row.SeriesInstanceUid, cancellationToken).ConfigureAwait(false);
        var retrieved = move.Completed + move.Warning;
        if (series is null || series.InstanceCount < retrieved)
        {
            var missing = string.Create(CultureInfo.InvariantCulture,
                $"{move.Detail}, but only {series?.InstanceCount ?? 0} instance(s) of the series are indexed here: does {source.Name} send to AE title {settings.Dicom.AeTitle} at this agent?");
            await recorder.FailAsync(row.Id, missing, move.Completed, cancellationToken).ConfigureAwait(false);
            return ("failed", missing);
        }

        var previous = (await recorder.PreviousModelsAsync(series.Id, cancellationToken).ConfigureAwait(false)).Where(m => m != model.ToString()).ToList();
        var reason = $"re-analysis with {model}; " + (previous.Count > 0 ? "previous outputs by " + string.Join(", ", previous) : "no previous outputs") +
                     string.Create(CultureInfo.InvariantCulture, $"; {retrieved} instance(s) retrieved from {source.Name}");
        var pipeline = $"segment:{model}";
        var job = await new JobQueue(database.DataSource).EnqueueAsync(new JobRequest
        {
            Kind = SeriesRouter.SegmentKind,
            IdempotencyKey = recorder.SegmentJobKey(row.SeriesInstanceUid, model),
            StudyId = series.StudyRowId,
            SeriesId = series.Id,
            Pipeline = pipeline,
            PayloadJson = JsonSerializer.Serialize(new SegmentJobPayload
            {
                SeriesInstanceUid = series.SeriesInstanceUid,
                StudyInstanceUid = series.StudyInstanceUid,
                Model = model.Name,
                ModelVersion = model.Version,
                Rule = payload.RuleName,
                Destinations = payload.SendTo,
                Supersede = true,
            }),
        }, cancellationToken).ConfigureAwait(false);
        await recorder.QueuedAsync(row.Id, series.Id, series.StudyRowId, retrieved, job, payload.RuleName, pipeline, reason, cancellationToken).ConfigureAwait(false);
        return ("queued", reason);
    }

    private async Task<JobOutcome> FailRunAsync(RunRecorder recorder, long runId, string error, bool permanent, CancellationToken cancellationToken)
    {
        await recorder.SetStateAsync("failed", error, cancellationToken).ConfigureAwait(false);
        ReanalysisLog.RunFailed(logger, runId, error);
        return new JobOutcome { Error = error, Permanent = permanent };
    }
}
