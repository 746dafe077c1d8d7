using Agent.Storage.Queue;

namespace Agent.Storage.Tests;

public sealed class WorkNotifierTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    // Regression: Npgsql reads a 0 ms timeout as "wait forever", so a retry due in under a millisecond stalled the worker
    // until some other work was queued (seen as a delivery retried twice, then never again).
    [Fact]
    public async Task A_wait_shorter_than_a_millisecond_times_out_instead_of_waiting_for_the_next_notification()
    {
        await using var notifier = new WorkNotifier(DataSource, "agent_test_nothing_is_queued_here");
        Assert.False(await notifier.WaitAsync(TimeSpan.FromMilliseconds(10), default));

        var quick = notifier.WaitAsync(TimeSpan.FromTicks(3_000), default);

        Assert.False(await quick.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
