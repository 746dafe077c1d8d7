using Agent.Storage.Provenance;
using Agent.Storage.Queue;

namespace Agent.Storage.Tests;

public sealed class DeliveryWorkerTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private static readonly RetryPolicy Immediate = new() { BaseDelay = TimeSpan.Zero, Jitter = 0 };
    private static int _n;

    private async Task<long> OutputAsync()
    {
        var n = Interlocked.Increment(ref _n).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await new OutputRepository(DataSource).RecordAsync(
            new OutputRecord
            {
                Kind = "SEG", SopClassUid = "1.2.840.10008.5.1.4.1.1.66.4", SopInstanceUid = "1.2.3.4." + n, SeriesInstanceUid = "1.2.3.5." + n,
                StudyInstanceUid = "1.2.3", FilePath = "/out/seg.dcm",
            },
            default);
    }

    private DeliveryWorker Sender(Func<DeliveryLease, CancellationToken, Task<DeliveryOutcome>> send, TimeSpan? poll = null) =>
        new(DataSource, new JobWorkerOptions { Name = "sender", RetryPolicy = Immediate, PollInterval = poll ?? TimeSpan.FromSeconds(1) }, DeliveryWorker.OneByOne(send));

    [Fact]
    public async Task A_refused_store_is_retried_and_each_attempt_is_recorded_with_its_dimse_status()
    {
        var outbox = new DeliveryOutbox(DataSource);
        var delivery = await outbox.EnqueueAsync(await OutputAsync(), "PACS", 0, 5, default);
        var calls = 0;
        var sender = Sender((lease, _) => Task.FromResult(++calls == 1
            ? new DeliveryOutcome(false, 0xA700, "out of resources")
            : new DeliveryOutcome(true, 0x0000, null)));

        Assert.True(await sender.RunOnceAsync(default));
        Assert.True(await sender.RunOnceAsync(default));

        var info = await outbox.GetAsync(delivery.Id, default);
        Assert.Equal((WorkState.Succeeded, 2, 0), (info!.State, info.Attempts, info.LastDimseStatus));
        Assert.Equal("f,t", await ScalarAsync($"SELECT string_agg(CASE WHEN succeeded THEN 't' ELSE 'f' END, ',' ORDER BY attempt) FROM delivery_attempts WHERE delivery_id = {delivery.Id}"));
        Assert.Equal(0xA700, await ScalarAsync($"SELECT dimse_status FROM delivery_attempts WHERE delivery_id = {delivery.Id} AND attempt = 1"));
    }

    [Fact]
    public async Task A_permanent_refusal_fails_the_delivery_at_once()
    {
        var outbox = new DeliveryOutbox(DataSource);
        var delivery = await outbox.EnqueueAsync(await OutputAsync(), "OLD-PACS", 0, 5, default);
        var sender = Sender((_, _) => Task.FromResult(new DeliveryOutcome(false, 0x0122, "SOP class not supported", Permanent: true)));

        while (await sender.RunOnceAsync(default))
        {
        }

        var info = await outbox.GetAsync(delivery.Id, default);
        Assert.Equal((WorkState.Failed, 1), (info!.State, info.Attempts));
    }

    [Fact]
    public async Task An_idle_sender_is_woken_by_a_new_delivery()
    {
        await ExecAsync("UPDATE deliveries SET state = 'cancelled', lease_token = NULL WHERE state IN ('queued', 'running')");
        var sent = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var sender = Sender((lease, _) => { sent.TrySetResult(lease.Id); return Task.FromResult(new DeliveryOutcome(true, 0, null)); }, TimeSpan.FromMinutes(10));
        var run = sender.RunAsync(stop.Token);
        Assert.True(await WaitForListenerAsync(DeliveryOutbox.NotificationChannel));

        var delivery = await new DeliveryOutbox(DataSource).EnqueueAsync(await OutputAsync(), "PACS", 0, 5, default);

        Assert.Equal(delivery.Id, await sent.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        await stop.CancelAsync();
        await run;
    }
}
