using System.Threading.Channels;
using Agent.Host.Hosting;
using Agent.Storage.Provenance;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agent.Host.Routing;

/// <summary>
/// Decides when a series is complete: one timer per series, reset by every arrival, due after the shortest quiet
/// period of the rules (sooner when a rule has an expected count). When it fires the series is routed, or the timer
/// is set again for what a fired rule still needs. Nothing polls. After a restart the timers are rebuilt from the
/// index (series not yet routed, due at their last received_at plus the quiet period).
/// </summary>
public sealed partial class SeriesCompletionService : BackgroundService
{
    private static readonly TimeSpan ExpectedCountCheck = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryAfterError = TimeSpan.FromSeconds(30);

    private readonly DatabaseAccess _database;
    private readonly SeriesArrivals _arrivals;
    private readonly RulesProvider _rules;
    private readonly SeriesRouter _router;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ITimer> _timers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Channel<string> _due = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public SeriesCompletionService(DatabaseAccess database, SeriesArrivals arrivals, RulesProvider rules, SeriesRouter router, TimeProvider time,
        ILogger<SeriesCompletionService> logger)
    {
        _database = database;
        _arrivals = arrivals;
        _rules = rules;
        _router = router;
        _time = time;
        _logger = logger;
        _arrivals.Subscribe(uid => Schedule(uid, FirstCheck()));
    }

    /// <summary>Series with a pending completion timer (for tests and status).</summary>
    public int Pending
    {
        get { lock (_gate) return _timers.Count; }
    }

    /// <summary>Raised after a series was routed (decisions and jobs committed).</summary>
    public event EventHandler<RouteAttempt.Routed>? Routed;

    private TimeSpan FirstCheck()
    {
        var rules = _rules.Current;
        var quiet = rules.ShortestQuietPeriod;
        return rules.Rules.Any(r => r.Completion.ExpectedCount is not null) && quiet > ExpectedCountCheck ? ExpectedCountCheck : quiet;
    }

    private void Schedule(string seriesUid, TimeSpan after)
    {
        if (after < TimeSpan.Zero) after = TimeSpan.Zero;
        lock (_gate)
        {
            if (_timers.TryGetValue(seriesUid, out var timer))
            {
                timer.Change(after, Timeout.InfiniteTimeSpan);
                return;
            }
            _timers[seriesUid] = _time.CreateTimer(_ => _due.Writer.TryWrite(seriesUid), null, after, Timeout.InfiniteTimeSpan);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var unrouted = await new InstanceIndex(_database.DataSource).GetQuietUnroutedSeriesAsync(TimeSpan.Zero, 100_000, stoppingToken).ConfigureAwait(false);
            var now = _time.GetUtcNow().UtcDateTime;
            foreach (var series in unrouted)
                Schedule(series.SeriesInstanceUid, (series.LastReceivedAt ?? now) + _rules.Current.ShortestQuietPeriod - now);
            if (unrouted.Count > 0) LogRecovered(_logger, unrouted.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRouteFailed(_logger, "(start-up scan)", e);
        }

        await foreach (var uid in _due.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            RouteAttempt attempt;
            try
            {
                attempt = await _router.TryRouteAsync(uid, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRouteFailed(_logger, uid, e);
                Schedule(uid, RetryAfterError);
                continue;
            }
            switch (attempt)
            {
                case RouteAttempt.NotYet notYet:
                    Schedule(uid, notYet.Wait);
                    break;
                case RouteAttempt.Routed routed:
                    Forget(uid);
                    LogRouted(_logger, uid, routed.Decision.AnyFired ? string.Join(", ", routed.Decision.Fired.Select(o => o.Rule.Name)) : "none",
                        routed.Stored.Jobs.Count, routed.Rearrival);
                    Routed?.Invoke(this, routed);
                    break;
                case RouteAttempt.Nothing nothing:
                    Forget(uid);
                    LogNothing(_logger, uid, nothing.Why);
                    break;
            }
        }
    }

    private void Forget(string uid)
    {
        lock (_gate)
        {
            // An arrival may have re-armed the timer meanwhile: only drop one that is not going to fire again.
            if (_timers.Remove(uid, out var timer)) timer.Dispose();
        }
    }

    public override void Dispose()
    {
        lock (_gate)
        {
            foreach (var timer in _timers.Values) timer.Dispose();
            _timers.Clear();
        }
        base.Dispose();
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Series {SeriesUid} complete and routed; fired: {Rules}; {Jobs} job(s) queued; re-arrival: {Rearrival}")]
    private static partial void LogRouted(ILogger logger, string seriesUid, string rules, int jobs, bool rearrival);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Debug, Message = "Series {SeriesUid}: nothing to route ({Why})")]
    private static partial void LogNothing(ILogger logger, string seriesUid, string why);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "Routing series {SeriesUid} failed; retrying later")]
    private static partial void LogRouteFailed(ILogger logger, string seriesUid, Exception exception);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Information, Message = "{Count} series not yet routed from before the restart: completion timers set")]
    private static partial void LogRecovered(ILogger logger, int count);
}
