using Agent.Host.Delivery;
using Agent.Host.Hosting;
using Agent.Host.Pipelines;
using Agent.Storage.Queue;
using Microsoft.Extensions.Options;

namespace Agent.Host.Tests.Delivery;

public sealed class ForwardSeriesJobTests
{
    private static Task<JobOutcome> RunAsync(string payload) =>
        new ForwardSeriesJob(new DatabaseAccess(), Options.Create(new DestinationsOptions()))
            .RunAsync(new JobLease { Id = 1, Kind = "forward-series", PayloadJson = payload }, "test", CancellationToken.None);

    [Theory]
    [InlineData("not json", "payload is not a forward job")]
    [InlineData("""{"destinations": ["PACS"]}""", "payload needs a valid seriesInstanceUid")]
    [InlineData("""{"seriesInstanceUid": "1.2.3/../x", "destinations": ["PACS"]}""", "payload needs a valid seriesInstanceUid")]
    [InlineData("""{"seriesInstanceUid": "1.2.3", "destinations": []}""", "payload names no destination")]
    public async Task A_payload_it_cannot_use_fails_the_job_for_good_without_touching_the_database(string payload, string error)
    {
        var outcome = await RunAsync(payload);

        Assert.True(outcome.Permanent);
        Assert.StartsWith(error, outcome.Error, StringComparison.Ordinal);
        Assert.Empty(outcome.Forwards);
    }
}
