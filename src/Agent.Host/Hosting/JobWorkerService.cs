using Agent.Host.Configuration;
using Agent.Host.Jobs;
using Agent.Host.Logging;
using Agent.Storage.Queue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agent.Host.Hosting;

/// <summary>
/// Runs <c>Agent:Jobs:Workers</c> job workers over the shared PostgreSQL queue (leases, heartbeats, retries with
/// backoff: see storage's JobQueue). Workers are named after this node, so the jobs table shows who ran what.
/// On stop, running jobs are released for another worker without using up an attempt.
/// </summary>
internal sealed class JobWorkerService(
    AgentSettings settings,
    DatabaseAccess database,
    IEnumerable<IJobHandler> handlers,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<JobWorkerService>();

    /// <summary>This process's worker name prefix (host name, process id).</summary>
    public static string NodeName => $"{Environment.MachineName}/{Environment.ProcessId}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var count = settings.Jobs.Workers;
        var byKind = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
        if (count == 0 || byKind.Count == 0) return Task.CompletedTask;
        Log.JobWorkers(_logger, count, string.Join(", ", byKind.Keys));
        var workers = Enumerable.Range(1, count).Select(i =>
        {
            var name = $"{NodeName}#{i}";
            var worker = new JobWorker(database.DataSource, new JobWorkerOptions
            {
                Name = name,
                Kinds = byKind.Keys.ToList(),
                LeaseDuration = TimeSpan.FromSeconds(settings.Jobs.LeaseSeconds),
                PollInterval = TimeSpan.FromSeconds(settings.Jobs.PollSeconds),
            }, async (lease, ct) =>
            {
                using var scope = _logger.BeginScope(new Dictionary<string, object> { ["JobId"] = lease.Id, ["JobKind"] = lease.Kind, ["Attempt"] = lease.Attempt });
                return await byKind[lease.Kind].RunAsync(lease, name, ct).ConfigureAwait(false);
            }, loggers.CreateLogger<JobWorker>());
            return worker.RunAsync(stoppingToken);
        });
        return Task.WhenAll(workers);
    }
}
