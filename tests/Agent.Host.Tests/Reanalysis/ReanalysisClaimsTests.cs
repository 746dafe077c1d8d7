using Agent.Host.Hosting;
using Agent.Host.Reanalysis;
using Agent.Host.Tests.Delivery;
using Agent.Storage;
using Agent.Storage.Provenance;

namespace Agent.Host.Tests.Reanalysis;

/// <summary>Which arrivals of a series the routing rules leave to a re-analysis run (real PostgreSQL).</summary>
public sealed class ReanalysisClaimsTests
{
    private const string Uid = "1.2.826.0.1.3680043.2.1125.77";

    [Fact]
    public async Task Only_instances_arriving_while_a_live_run_retrieves_the_series_are_claimed_by_it()
    {
        await using var db = await DeliveryDatabase.StartAsync();
        await using var agentDatabase = await AgentDatabase.OpenAsync(new AgentDatabaseOptions { ConnectionString = db.ConnectionString }, null, CancellationToken.None);
        var access = new DatabaseAccess();
        access.Set(agentDatabase, "test");
        var claims = new ReanalysisClaims(access);
        var (runId, _) = await new ReanalysisRuns(db.DataSource).EnqueueAsync(
            new ReanalyzeJobPayload { Schedule = "nightly", Source = "pacs", Model = "tiny-ct@0.2.0", Query = new() { ["Modality"] = "CT" } }, "reanalyze:test", CancellationToken.None);
        var claimedAt = (DateTime)(await db.ScalarAsync($"""
            INSERT INTO reanalysis_series (run_id, study_instance_uid, series_instance_uid, state, claimed_at)
            VALUES ({runId}, '1.2.3', '{Uid}', 'retrieving', now() - interval '1 minute') RETURNING claimed_at
            """))!;
        IndexedSeries Arrived(TimeSpan afterClaim) => new() { SeriesInstanceUid = Uid, LastReceivedAt = claimedAt + afterClaim };

        // Retrieving: arrivals since the claim are the run's, earlier ones (the series as it was before) are not.
        var claim = await claims.ClaimedAsync(Arrived(TimeSpan.FromSeconds(5)), CancellationToken.None);
        Assert.Equal(("reanalysis:nightly", $"not routed: retrieved from pacs by re-analysis run {runId}, which runs its own pipeline"), claim);
        Assert.Null(await claims.ClaimedAsync(Arrived(TimeSpan.FromSeconds(-5)), CancellationToken.None));

        // Released after the C-MOVE: later arrivals (a modality sending more) are routed by the rules again.
        await db.ScalarAsync($"UPDATE reanalysis_series SET released_at = claimed_at + interval '10 seconds' WHERE run_id = {runId}");
        Assert.NotNull(await claims.ClaimedAsync(Arrived(TimeSpan.FromSeconds(5)), CancellationToken.None));
        Assert.Null(await claims.ClaimedAsync(Arrived(TimeSpan.FromSeconds(15)), CancellationToken.None));

        // Never released because the run stopped mid-retrieval: the claim lapses once the run's job has ended for good.
        await db.ScalarAsync($"UPDATE reanalysis_series SET released_at = NULL WHERE run_id = {runId}");
        Assert.NotNull(await claims.ClaimedAsync(Arrived(TimeSpan.FromSeconds(15)), CancellationToken.None));
        await db.ScalarAsync($"UPDATE jobs SET state = 'failed', finished_at = now() WHERE id = {runId}");
        Assert.Null(await claims.ClaimedAsync(Arrived(TimeSpan.FromSeconds(15)), CancellationToken.None));
    }
}
