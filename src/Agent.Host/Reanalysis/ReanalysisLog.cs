using Microsoft.Extensions.Logging;

namespace Agent.Host.Reanalysis;

/// <summary>Re-analysis log events (7000-7099).</summary>
internal static partial class ReanalysisLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Re-analysis schedules: {Schedules}")]
    public static partial void Schedules(ILogger logger, string schedules);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Schedule {Schedule}: occurrence {Occurrence:o} queued run {RunId} (new: {Created})")]
    public static partial void Fired(ILogger logger, string schedule, DateTimeOffset occurrence, long runId, bool created);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Schedule {Schedule}: {Missed} occurrence(s) missed while the agent was down or asleep (the first {First:o}); running only the latest, {Occurrence:o}")]
    public static partial void Missed(ILogger logger, string schedule, int missed, DateTimeOffset first, DateTimeOffset occurrence);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "Schedule {Schedule}: queueing occurrence {Occurrence:o} failed; retrying")]
    public static partial void FireFailed(ILogger logger, string schedule, DateTimeOffset occurrence, Exception exception);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Schedule {Schedule}: next run {Next:o}")]
    public static partial void Next(ILogger logger, string schedule, DateTimeOffset next);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "Re-analysis run {RunId} ({Rule}, {Model}): {Found} series found on {Source}")]
    public static partial void Found(ILogger logger, long runId, string rule, string model, int found, string source);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Information, Message = "Re-analysis run {RunId}: series {SeriesUid} {State}: {Reason}")]
    public static partial void SeriesState(ILogger logger, long runId, string seriesUid, string state, string reason);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Warning, Message = "Re-analysis run {RunId}: {Error}")]
    public static partial void RunFailed(ILogger logger, long runId, string error);

    [LoggerMessage(EventId = 7013, Level = LogLevel.Information, Message = "Re-analysis run {RunId} done: {Found} found, {Skipped} skipped, {Queued} queued, {Failed} failed")]
    public static partial void Done(ILogger logger, long runId, int found, int skipped, int queued, int failed);
}
