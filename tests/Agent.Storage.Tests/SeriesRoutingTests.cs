using Agent.Storage.Provenance;
using Agent.Storage.Queue;
using Npgsql;

namespace Agent.Storage.Tests;

public sealed class SeriesRoutingTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private static int _n;

    private async Task<IndexResult> SeriesAsync()
    {
        var n = Interlocked.Increment(ref _n).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await new InstanceIndex(DataSource).IndexInstanceAsync(
            new InstanceRecord
            {
                StudyInstanceUid = "1.2.40." + n, SeriesInstanceUid = "1.2.40." + n + ".1", SopInstanceUid = "1.2.40." + n + ".1.1",
                SopClassUid = "1.2.840.10008.5.1.4.1.1.2", TransferSyntaxUid = "1.2.840.10008.1.2.1", FilePath = "/f", FileSize = 1,
                Sha256 = new string('1', 64), Modality = "CT",
            },
            DuplicatePolicy.KeepFirst,
            default);
    }

    private static RoutedDecision[] Decisions(IndexResult s, int maxAttempts = 5) =>
    [
        new(new RuleDecision { StudyId = s.StudyId, RuleName = "ct-liver", Matched = true, Pipeline = "liver" },
            new JobRequest { Kind = "segment", IdempotencyKey = $"segment:{s.SeriesId}:liver", SeriesId = s.SeriesId, Pipeline = "liver", MaxAttempts = maxAttempts }),
        new(new RuleDecision { StudyId = s.StudyId, RuleName = "mr-brain", Matched = false, Reason = "modality CT" }, null),
    ];

    [Fact]
    public async Task A_series_is_routed_once_with_its_decisions_linked_to_the_job()
    {
        var s = await SeriesAsync();
        var routing = new SeriesRouting(DataSource);

        var first = await routing.RouteAsync(s.SeriesId, Decisions(s), default);
        var second = await routing.RouteAsync(s.SeriesId, Decisions(s), default);

        Assert.NotNull(first);
        Assert.Null(second);
        var job = Assert.Single(first.Jobs);
        var decisions = await new RuleDecisionRepository(DataSource).ForSeriesAsync(s.SeriesId, default);
        Assert.Equal([job.Id, null], decisions.Select(d => d.JobId));
        Assert.Equal(true, await ScalarAsync($"SELECT routed_at IS NOT NULL FROM series WHERE id = {s.SeriesId}"));
    }

    [Fact]
    public async Task Agents_routing_the_same_series_concurrently_create_one_job()
    {
        var s = await SeriesAsync();
        var pools = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(ConnectionString)).ToArray();

        var results = await Task.WhenAll(pools.Select(ds => Task.Run(() => new SeriesRouting(ds).RouteAsync(s.SeriesId, Decisions(s), default))));
        foreach (var ds in pools)
        {
            await ds.DisposeAsync();
        }

        Assert.Single(results, r => r is not null);
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM jobs WHERE series_id = {s.SeriesId}"));
        Assert.Equal(2L, await ScalarAsync($"SELECT count(*) FROM rule_decisions WHERE series_id = {s.SeriesId}"));
    }

    [Fact]
    public async Task A_failure_while_routing_stores_nothing_and_leaves_the_series_to_route_again()
    {
        var s = await SeriesAsync();
        var routing = new SeriesRouting(DataSource);

        // MaxAttempts 0 is refused after the claim, inside the transaction: like a crash before the commit.
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => routing.RouteAsync(s.SeriesId, Decisions(s, maxAttempts: 0), default));

        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM jobs WHERE series_id = {s.SeriesId}"));
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM rule_decisions WHERE series_id = {s.SeriesId}"));
        Assert.NotNull(await routing.RouteAsync(s.SeriesId, Decisions(s), default));
    }
}
