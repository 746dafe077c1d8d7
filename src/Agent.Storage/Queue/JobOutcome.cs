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
}
