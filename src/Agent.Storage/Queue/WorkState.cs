namespace Agent.Storage.Queue;

/// <summary>
/// States of a job or delivery. Allowed transitions (enforced by the SQL of the queue classes):
/// queued -> running (lease) -> succeeded | queued (retry, lease expired) | failed (attempts exhausted, permanent error);
/// queued | running -> cancelled; failed | cancelled -> queued (explicit requeue by an operator).
/// succeeded is final: a finished job is never leased again.
/// </summary>
public static class WorkState
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

/// <summary>Result of an enqueue: the job's id, and whether this call created it (false: the idempotency key existed).</summary>
public sealed record EnqueueResult(long Id, bool Created);

/// <summary>
/// What a failure report did: <see cref="Accepted"/> false when the lease was lost (another worker or an operator
/// took over); otherwise the new state (<c>queued</c> with <see cref="NextAttemptAt"/>, or <c>failed</c>).
/// </summary>
public sealed record FailResult(bool Accepted, string? State, DateTime? NextAttemptAt);
