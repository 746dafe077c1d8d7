namespace Agent.Storage.Queue;

/// <summary>Settings of one <see cref="JobWorker"/> loop.</summary>
public sealed class JobWorkerOptions
{
    /// <summary>Shown as the lease owner: make it say which process and loop (<c>host:pid/worker-1</c>).</summary>
    public required string Name { get; init; }

    /// <summary>How long a lease lasts without renewal: how soon a crashed worker's job is picked up again.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Heartbeat period (default: a third of <see cref="LeaseDuration"/>).</summary>
    public TimeSpan? RenewEvery { get; init; }

    /// <summary>Slowest poll when no notification arrives (retries falling due, expired leases, lost notifications).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Job kinds this worker runs (for a <see cref="DeliveryWorker"/>: destinations it sends to); null: all.</summary>
    public IReadOnlyCollection<string>? Kinds { get; init; }

    public RetryPolicy RetryPolicy { get; init; } = RetryPolicy.Default;

    /// <summary>For a <see cref="DeliveryWorker"/>: deliveries of one destination leased together (sent over one association).</summary>
    public int BatchSize { get; init; } = 1;
}
