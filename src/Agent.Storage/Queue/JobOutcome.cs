namespace Agent.Storage.Queue;

/// <summary>What a worker reports when it finishes an attempt (successfully or not).</summary>
public sealed class JobOutcome
{
    /// <summary>Step name to milliseconds, as a JSON object; merged into the job's <c>timings</c>.</summary>
    public string? TimingsJson { get; init; }

    /// <summary>Device the work ran on ('cpu', 'cuda:0').</summary>
    public string? Device { get; init; }

    public string? SoftwareVersion { get; init; }

    /// <summary>JSON result (succeeded jobs only).</summary>
    public string? ResultJson { get; init; }

    /// <summary>Error message (failed attempts only).</summary>
    public string? Error { get; init; }

    /// <summary>True when retrying cannot help (bad input): the job fails now whatever attempts remain.</summary>
    public bool Permanent { get; init; }

    /// <summary>
    /// Objects produced (success only), recorded with their deliveries in the same transaction as the completion:
    /// see <see cref="JobQueue.CompleteAsync"/>.
    /// </summary>
    public IReadOnlyList<ProducedOutput> Outputs { get; init; } = [];

    /// <summary>
    /// Received series to forward (success only): their instances are queued for delivery in the completion
    /// transaction, like <see cref="Outputs"/>.
    /// </summary>
    public IReadOnlyList<SeriesForward> Forwards { get; init; } = [];
}

/// <summary>Every instance of a received series, to one destination (a rule's <c>forward</c>).</summary>
/// <param name="SeriesId">Row id of the series.</param>
/// <param name="Destination">Configured destination name.</param>
/// <param name="DeliveryMaxAttempts">Attempt limit of each instance's delivery.</param>
public sealed record SeriesForward(long SeriesId, string Destination, int DeliveryMaxAttempts = 8);

/// <summary>An object a job produced and the destinations to send it to.</summary>
/// <param name="Output">The object; its <see cref="Provenance.OutputRecord.JobId"/> is set to the job's id when null.</param>
/// <param name="Destinations">Configured destination names (one delivery each).</param>
/// <param name="DeliveryMaxAttempts">Attempt limit of each delivery.</param>
public sealed record ProducedOutput(Provenance.OutputRecord Output, IReadOnlyList<string> Destinations, int DeliveryMaxAttempts = 8);
