namespace Agent.Host.Configuration;

/// <summary>Job workers of this process (section <c>Agent:Jobs</c>); several processes may share one database queue.</summary>
public sealed class JobsOptions
{
    public const string Section = "Agent:Jobs";

    /// <summary>Concurrent job workers in this process; 0 runs none (a receive-only node).</summary>
    public int Workers { get; set; } = 1;

    /// <summary>How long a job lease lasts without a heartbeat; a crashed worker's job is run again after this.</summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Fallback poll for retries falling due (new jobs wake workers at once through LISTEN/NOTIFY).</summary>
    public int PollSeconds { get; set; } = 10;
}
