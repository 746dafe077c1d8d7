namespace Agent.Host.Reanalysis;

/// <summary>
/// Payload of a <c>reanalyze</c> job: everything the run needs, resolved when it was queued (relative study dates
/// included), so the run does what was asked even if the configuration changes meanwhile. Only the source is looked
/// up by name in the serving agent's configuration (its address may legitimately change).
/// </summary>
public sealed class ReanalyzeJobPayload
{
    /// <summary>Schedule name; null for an on-demand run.</summary>
    public string? Schedule { get; init; }

    /// <summary>UTC cron occurrence that queued the run (scheduled runs).</summary>
    public DateTimeOffset? Occurrence { get; init; }

    public string Source { get; init; } = "";

    /// <summary>C-FIND matching keys, keyword to value (StudyDate as a DICOM range).</summary>
    public Dictionary<string, string> Query { get; init; } = new(StringComparer.Ordinal);

    /// <summary>NAME@VERSION.</summary>
    public string Model { get; init; } = "";

    public IReadOnlyList<string> SendTo { get; init; } = [];

    public int MaxSeries { get; init; } = 100;

    /// <summary>Rule name recorded in rule decisions: <c>reanalysis:SCHEDULE</c>, or <c>reanalysis:on-demand</c>.</summary>
    public string RuleName => "reanalysis:" + (Schedule ?? "on-demand");
}
