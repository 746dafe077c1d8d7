using System.Threading.Channels;
using Agent.Host.Reanalysis;
using Agent.Host.Tests.Delivery;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Agent.Host.Tests.Reanalysis;

public sealed class SchedulerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    private static ReanalysisOptions Nightly(string cron = "0 2 * * *", string timeZone = "") => new()
    {
        Sources = { ["pacs"] = new ReanalysisSourceOptions { AeTitle = "PACS", Host = "127.0.0.1" } },
        Schedules =
        {
            ["nightly"] = new ReanalysisScheduleOptions
            {
                Cron = cron, TimeZone = timeZone, Source = "pacs", Model = "tiny-ct@0.2.0", SendTo = ["pacs"],
                Query = new() { ["StudyDate"] = "-1d", ["Modality"] = "CT" },
            },
        },
    };

    [Fact]
    public async Task Each_cron_occurrence_queues_exactly_one_run_keyed_by_schedule_and_occurrence()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 1, 59, 0, TimeSpan.Zero));
        var enqueuer = new RecordingEnqueuer();
        var log = new EventLog<ReanalysisScheduler>();
        using var scheduler = new ReanalysisScheduler(Nightly(), enqueuer, time, log);
        await scheduler.StartAsync(CancellationToken.None);
        await log.WaitForAsync(7004, Wait);

        time.Advance(TimeSpan.FromMinutes(2));
        var (key, payload) = await enqueuer.Fired.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal("reanalyze:nightly:2026-11-27T02:00:00Z", key);
        Assert.Equal(("nightly", "pacs", "tiny-ct@0.2.0"), (payload.Schedule, payload.Source, payload.Model));
        // "-1d" counts from the occurrence's day.
        Assert.Equal("20261126-20261127", payload.Query["StudyDate"]);
        await log.WaitForAsync(7004, Wait);

        time.Advance(TimeSpan.FromHours(23.9));
        Assert.False(enqueuer.Fired.Reader.TryRead(out _));
        time.Advance(TimeSpan.FromHours(0.2));
        Assert.Equal("reanalyze:nightly:2026-11-28T02:00:00Z", (await enqueuer.Fired.Reader.ReadAsync().AsTask().WaitAsync(Wait)).Key);
        await log.WaitForAsync(7004, Wait);
        Assert.False(enqueuer.Fired.Reader.TryRead(out _));
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Occurrences_missed_while_the_agent_was_down_run_once_for_the_latest_and_are_logged()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var enqueuer = new RecordingEnqueuer(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));
        var log = new EventLog<ReanalysisScheduler>();
        using var scheduler = new ReanalysisScheduler(Nightly(), enqueuer, time, log);
        await scheduler.StartAsync(CancellationToken.None);
        await log.WaitForAsync(7004, Wait);

        Assert.Equal("reanalyze:nightly:2026-11-27T02:00:00Z", (await enqueuer.Fired.Reader.ReadAsync().AsTask().WaitAsync(Wait)).Key);
        Assert.False(enqueuer.Fired.Reader.TryRead(out _));
        Assert.Contains(log.Messages, m => m.Contains("3 occurrence(s) missed", StringComparison.Ordinal));
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_scheduler_woken_days_late_fires_only_the_latest_occurrence_in_the_schedules_time_zone()
    {
        // 02:00 in Zurich is 01:00 UTC in winter.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 0, 30, 0, TimeSpan.Zero));
        var enqueuer = new RecordingEnqueuer();
        var log = new EventLog<ReanalysisScheduler>();
        using var scheduler = new ReanalysisScheduler(Nightly(timeZone: "Europe/Zurich"), enqueuer, time, log);
        await scheduler.StartAsync(CancellationToken.None);
        await log.WaitForAsync(7004, Wait);

        time.Advance(TimeSpan.FromDays(3));
        Assert.Equal("reanalyze:nightly:2026-11-29T01:00:00Z", (await enqueuer.Fired.Reader.ReadAsync().AsTask().WaitAsync(Wait)).Key);
        await log.WaitForAsync(7004, Wait);
        Assert.False(enqueuer.Fired.Reader.TryRead(out _));
        Assert.Contains(log.Messages, m => m.Contains("3 occurrence(s) missed", StringComparison.Ordinal));
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Two_agent_processes_on_one_database_queue_an_occurrence_once()
    {
        await using var db = await DeliveryDatabase.StartAsync();
        var start = new DateTimeOffset(2026, 11, 27, 1, 59, 0, TimeSpan.Zero);
        var (timeA, timeB) = (new FakeTimeProvider(start), new FakeTimeProvider(start));
        var (a, b) = (new RecordingEnqueuer(inner: new ReanalysisRuns(db.DataSource)), new RecordingEnqueuer(inner: new ReanalysisRuns(db.DataSource)));
        var (logA, logB) = (new EventLog<ReanalysisScheduler>(), new EventLog<ReanalysisScheduler>());
        using var schedulerA = new ReanalysisScheduler(Nightly(), a, timeA, logA);
        using var schedulerB = new ReanalysisScheduler(Nightly(), b, timeB, logB);
        await schedulerA.StartAsync(CancellationToken.None);
        await schedulerB.StartAsync(CancellationToken.None);
        await logA.WaitForAsync(7004, Wait);
        await logB.WaitForAsync(7004, Wait);

        timeA.Advance(TimeSpan.FromMinutes(1));
        timeB.Advance(TimeSpan.FromMinutes(1));
        await a.Fired.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await b.Fired.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        Assert.Equal(a.Results.Single().RunId, b.Results.Single().RunId);
        Assert.Equal(1, a.Results.Concat(b.Results).Count(r => r.Created));
        Assert.Equal(1L, await db.ScalarAsync("SELECT count(*) FROM jobs WHERE kind = 'reanalyze'"));
        Assert.Equal("reanalyze:nightly:2026-11-27T02:00:00Z", await db.ScalarAsync("SELECT idempotency_key FROM jobs"));
        Assert.Equal("nightly|pacs|tiny-ct@0.2.0|{pacs}|queued|2026-11-27 02:00:00",
            await db.ScalarAsync("SELECT schedule || '|' || source || '|' || model || '|' || send_to::text || '|' || state || '|' || to_char(occurrence AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM reanalysis_runs"));
        await schedulerA.StopAsync(CancellationToken.None);
        await schedulerB.StopAsync(CancellationToken.None);
    }

    /// <summary>Records what the scheduler queues (and passes it on to <paramref name="inner"/> when given).</summary>
    private sealed class RecordingEnqueuer(DateTimeOffset? lastOccurrence = null, IReanalysisEnqueuer? inner = null) : IReanalysisEnqueuer
    {
        private long _next;

        public Channel<(string Key, ReanalyzeJobPayload Payload)> Fired { get; } = Channel.CreateUnbounded<(string, ReanalyzeJobPayload)>();

        public List<(long RunId, bool Created)> Results { get; } = [];

        public async Task<(long RunId, bool Created)> EnqueueAsync(ReanalyzeJobPayload payload, string idempotencyKey, CancellationToken cancellationToken)
        {
            var result = inner is null ? (Interlocked.Increment(ref _next), true) : await inner.EnqueueAsync(payload, idempotencyKey, cancellationToken);
            lock (Results) Results.Add(result);
            Fired.Writer.TryWrite((idempotencyKey, payload));
            return result;
        }

        public Task<DateTimeOffset?> LastOccurrenceAsync(string schedule, CancellationToken cancellationToken) =>
            inner?.LastOccurrenceAsync(schedule, cancellationToken) ?? Task.FromResult(lastOccurrence);
    }
}

/// <summary>A logger that lets a test wait for an event id (e.g. "the scheduler computed its next occurrence").</summary>
internal sealed class EventLog<T> : ILogger<T>
{
    private readonly Channel<int> _events = Channel.CreateUnbounded<int>();

    public List<string> Messages { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Messages) Messages.Add(formatter(state, exception));
        _events.Writer.TryWrite(eventId.Id);
    }

    /// <summary>Waits for the next logged <paramref name="eventId"/> (earlier events are consumed).</summary>
    public async Task WaitForAsync(int eventId, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await _events.Reader.ReadAsync(cts.Token) != eventId) { }
    }
}
