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

    // Regression: the worker subscribed only when it went to sleep, so a job queued between its empty look for work
    // and its LISTEN raised a notification nobody heard, and waited for the next poll (minutes in production).
    [Fact]
    public async Task A_subscription_made_before_the_look_for_work_hears_a_job_queued_right_after_that_look()
    {
        await using var notifier = new WorkNotifier(DataSource, JobQueue.NotificationChannel);
        await notifier.ListenAsync(default);
        var queue = new JobQueue(DataSource);
        Assert.Null(await queue.TryLeaseAsync("look", TimeSpan.FromMinutes(1), null, default));

        await queue.EnqueueAsync(new JobRequest { Kind = "segment", IdempotencyKey = "queued-between-look-and-sleep" }, default);

        Assert.True(await notifier.WaitAsync(TimeSpan.FromMinutes(2), default));
    }
}
