using System.Globalization;
using Agent.Host.Hosting;
using Agent.Host.Routing;
using Agent.Storage.Provenance;
using Dapper;

namespace Agent.Host.Reanalysis;

/// <summary>
/// A series whose newest instances arrived while a re-analysis run was retrieving it (between its claim and release)
/// belongs to that run: the routing rules must not also process it when its quiet period ends. A claim never
/// released (the run was stopped mid-retrieval) lapses when the run's job ends for good.
/// </summary>
public sealed class ReanalysisClaims(DatabaseAccess database) : ISeriesClaims
{
    public async Task<(string RuleName, string Reason)?> ClaimedAsync(IndexedSeries series, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.LastReceivedAt is not { } last) return null;
        await using var conn = await database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var claim = await conn.QuerySingleOrDefaultAsync<(long RunId, string? Schedule, string Source)?>(new CommandDefinition(
            """
            SELECT r.id, r.schedule, r.source FROM reanalysis_series s JOIN reanalysis_runs r ON r.id = s.run_id JOIN jobs j ON j.id = r.id
            WHERE s.series_instance_uid = @uid AND s.claimed_at <= @last
              AND (s.released_at >= @last OR (s.released_at IS NULL AND j.state IN ('queued', 'running')))
            ORDER BY s.id DESC LIMIT 1
            """,
            new { uid = series.SeriesInstanceUid, last = DateTime.SpecifyKind(last, DateTimeKind.Utc) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (claim is not { } c) return null;
        return ("reanalysis:" + (c.Schedule ?? "on-demand"),
            string.Create(CultureInfo.InvariantCulture, $"not routed: retrieved from {c.Source} by re-analysis run {c.RunId}, which runs its own pipeline"));
    }
}
