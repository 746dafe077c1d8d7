using System.Globalization;
using Cronos;

namespace Agent.Host.Reanalysis;

/// <summary>A configured schedule, parsed: when it fires and what run each occurrence queues.</summary>
public sealed class ReanalysisSchedule
{
    private readonly CronExpression _cron;
    private readonly TimeZoneInfo _zone;
    private readonly ReanalysisScheduleOptions _options;

    public ReanalysisSchedule(string name, ReanalysisScheduleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        _options = options;
        var cron = options.Cron.Trim();
        _cron = CronExpression.Parse(cron, cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        _zone = string.IsNullOrWhiteSpace(options.TimeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone.Trim());
    }

    public string Name { get; }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) =>
        _cron.GetNextOccurrence(after.UtcDateTime, _zone) is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null;

    /// <summary>Occurrences in (<paramref name="after"/>, <paramref name="until"/>].</summary>
    public IReadOnlyList<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset until) =>
        after >= until
            ? []
            : _cron.GetOccurrences(after.UtcDateTime, until.UtcDateTime, _zone, fromInclusive: false, toInclusive: true)
                .Select(o => new DateTimeOffset(o, TimeSpan.Zero)).ToList();

    /// <summary>Idempotency key of an occurrence's run: every agent process sharing the database computes the same one.</summary>
    public string KeyFor(DateTimeOffset occurrence) =>
        "reanalyze:" + Name + ":" + occurrence.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The run an occurrence queues; relative study dates count from the occurrence's day in the schedule's zone.
    /// <paramref name="onDemand"/>: run now by hand (no occurrence recorded, so the schedule's catch-up ignores it).
    /// </summary>
    public ReanalyzeJobPayload PayloadFor(DateTimeOffset occurrence, bool onDemand = false)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(occurrence, _zone).DateTime);
        var (query, errors) = ReanalysisQuery.Parse(_options.Query, today, $"{ReanalysisOptions.Section}:Schedules:{Name}:Query");
        if (query is null) throw new InvalidOperationException(string.Join("; ", errors));
        return new ReanalyzeJobPayload
        {
            Schedule = Name,
            Occurrence = onDemand ? null : occurrence,
            Source = _options.Source.Trim(),
            Query = query.ToDictionary(),
            Model = _options.Model.Trim(),
            SendTo = _options.SendTo.Select(s => s.Trim()).ToList(),
            MaxSeries = _options.MaxSeries,
        };
    }
}
