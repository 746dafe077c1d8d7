using Agent.Storage.Queue;

namespace Agent.Host.Jobs;

/// <summary>Runs one kind of queued job. Must be idempotent: a job whose worker crashed is run again.</summary>
public interface IJobHandler
{
    string Kind { get; }

    Task<JobOutcome> RunAsync(JobLease lease, string worker, CancellationToken cancellationToken);
}
