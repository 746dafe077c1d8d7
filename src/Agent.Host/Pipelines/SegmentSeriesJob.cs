using System.Collections.Concurrent;
using System.Text.Json;
using Agent.Dicom;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Host.Ingest;
using Agent.Host.Jobs;
using Agent.Host.Routing;
using Agent.Inference;
using Agent.Inference.Packages;
using Agent.Inference.SlidingWindow;
using Agent.Storage.Provenance;
using Agent.Storage.Queue;

namespace Agent.Host.Pipelines;

/// <summary>
/// <c>segment</c> jobs (queued by routing rules): the series' files from the instance store through
/// <see cref="SeriesSegmenter"/>; the DICOM-SEG becomes a job output (recorded with the model version and the
/// output it supersedes, and queued for delivery to the rule's destinations in the job's completion transaction).
/// Idempotent: an attempt records nothing until it succeeds, so a re-run after a crash starts clean.
/// </summary>
public sealed class SegmentSeriesJob(AgentSettings settings, RoutingOptions options, DatabaseAccess database, InstanceStore store) : IJobHandler, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SegmentationModel>>> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<SegmentationModel> _loaded = [];
    private readonly DeviceGate _gate = new(Math.Max(1, options.ConcurrentInferencesPerDevice));

    public string Kind => SeriesRouter.SegmentKind;

    public async Task<JobOutcome> RunAsync(JobLease lease, string worker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        SegmentJobPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<SegmentJobPayload>(lease.PayloadJson);
        }
        catch (JsonException e)
        {
            return new JobOutcome { Error = "payload is not a segment job: " + e.Message, Permanent = true };
        }
        if (payload is null || Ingest.DicomUid.Normalize(payload.SeriesInstanceUid) is not { } seriesUid || payload.Model.Length == 0)
            return new JobOutcome { Error = "payload needs SeriesInstanceUid and Model", Permanent = true };

        var folder = await ModelCatalog.ForHome(settings.Home).FindAsync(payload.Model, payload.ModelVersion, cancellationToken).ConfigureAwait(false);
        if (folder is null)
            return new JobOutcome { Error = $"no model package {payload.Model}{(payload.ModelVersion is null ? "" : "@" + payload.ModelVersion)} installed", Permanent = true };

        var index = new InstanceIndex(database.DataSource);
        var instances = await index.GetSeriesInstancesAsync(seriesUid, cancellationToken).ConfigureAwait(false);
        if (instances.Count == 0) return new JobOutcome { Error = $"series {seriesUid} has no indexed instances", Permanent = true };
        var series = await index.FindSeriesAsync(seriesUid, cancellationToken).ConfigureAwait(false);

        SegmentationModel model;
        try
        {
            model = await _models.GetOrAdd(folder, f => new Lazy<Task<SegmentationModel>>(() => LoadAsync(f))).Value.ConfigureAwait(false);
        }
        catch (ModelPackageException e)
        {
            _models.TryRemove(folder, out _);
            return new JobOutcome { Error = "model package: " + e.Message, Permanent = true };
        }

        var files = instances.Select(i => Path.Combine(store.DataFolder, i.FilePath)).ToList();
        var outputFolder = Path.Combine(settings.DataFolder, "outputs", "job-" + lease.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        SegmentationRun run;
        try
        {
            run = await SeriesSegmenter.RunAsync(files, model, outputFolder, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SeriesNotUsableException or DicomFormatException or NonFiniteOutputException)
        {
            return new JobOutcome { Error = e.Message, Permanent = true };
        }

        var manifest = model.Package.Manifest;
        var modelId = await new ModelRepository(database.DataSource).EnsureAsync(manifest.Name, manifest.Version, model.Package.WeightsSha256, manifest.Description, cancellationToken)
            .ConfigureAwait(false);
        var outputs = new List<ProducedOutput>();
        if (series is not null)
        {
            var repository = new OutputRepository(database.DataSource);
            foreach (var written in run.Outputs)
            {
                // A re-run supersedes the newest earlier output of the same kind for this source series.
                var earlier = await repository.LatestForSourceSeriesAsync(series.Id, written.Kind, cancellationToken).ConfigureAwait(false);
                var dataset = written.File.Dataset;
                outputs.Add(new ProducedOutput(new OutputRecord
                {
                    Kind = written.Kind,
                    SopClassUid = dataset.GetString(DicomTags.SOPClassUID) ?? "",
                    SopInstanceUid = dataset.GetString(DicomTags.SOPInstanceUID) ?? "",
                    SeriesInstanceUid = dataset.GetString(DicomTags.SeriesInstanceUID) ?? "",
                    StudyInstanceUid = dataset.GetString(DicomTags.StudyInstanceUID) ?? "",
                    JobId = lease.Id,
                    SourceSeriesId = series.Id,
                    ModelId = modelId,
                    SupersedesOutputId = earlier,
                    FilePath = Path.GetRelativePath(settings.DataFolder, written.Path),
                }, payload.Destinations));
            }
        }
        return new JobOutcome
        {
            Device = model.Device.ToString(),
            SoftwareVersion = $"{typeof(SegmentSeriesJob).Assembly.GetName().Version}; model {manifest.Name}@{manifest.Version} sha256 {model.Package.WeightsSha256}",
            TimingsJson = JsonSerializer.Serialize(run.TimingsMs),
            ResultJson = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["seriesInstanceUid"] = seriesUid,
                ["model"] = $"{manifest.Name}@{manifest.Version}",
                ["rule"] = payload.Rule,
                ["labels"] = Path.GetRelativePath(settings.DataFolder, run.LabelsPath),
                ["voxels"] = run.VoxelsPerLabel,
                ["seriesIssues"] = run.SeriesIssues,
                ["worker"] = worker,
            }),
            Outputs = outputs,
        };
    }

    private async Task<SegmentationModel> LoadAsync(string folder)
    {
        var package = await ModelPackage.LoadAsync(folder, CancellationToken.None).ConfigureAwait(false);
        var model = SegmentationModel.Create(package, InferenceDevice.Resolve(options.Device), _gate);
        _loaded.Add(model);
        return model;
    }

    public void Dispose()
    {
        foreach (var model in _loaded) model.Dispose();
        _gate.Dispose();
    }
}
