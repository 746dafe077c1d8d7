using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Storage.Queue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agent.Host.Delivery;

/// <summary>
/// Sends queued outputs and forwarded instances to their destinations: per destination,
/// <see cref="DestinationOptions.Concurrency"/> outbox workers, each leasing up to
/// <see cref="DestinationOptions.MaxInstancesPerAssociation"/> deliveries at a time and sending them over one
/// association, with the destination's exponential backoff and attempt limit.
/// Deliveries naming an unconfigured destination stay queued (and visible) until it is configured.
/// </summary>
public sealed partial class DeliveryService(
    DatabaseAccess database, IOptions<DestinationsOptions> destinations, AgentSettings settings, ILogger<DeliveryService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = new List<Task>();
        foreach (var (name, destination) in destinations.Value)
        {
            LogDestination(logger, name, destination.AeTitle, destination.Host, destination.Port, destination.Concurrency);
            for (int i = 0; i < destination.Concurrency; i++)
                workers.Add(CreateWorker(database.DataSource, name, destination, i, settings.DataFolder, logger).RunAsync(stoppingToken));
        }
        return Task.WhenAll(workers);
    }

    /// <summary>One outbox worker for <paramref name="name"/>; also used by tests to drive deliveries step by step.</summary>
    /// <param name="dataFolder">Where recorded relative file paths resolve (the agent's data folder).</param>
    public static DeliveryWorker CreateWorker(
        Npgsql.NpgsqlDataSource dataSource, string name, DestinationOptions destination, int index, string dataFolder, ILogger? logger = null, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var options = new JobWorkerOptions
        {
            Name = $"deliver-{name}-{index}",
            Kinds = [name],
            PollInterval = pollInterval ?? TimeSpan.FromSeconds(10),
            LeaseDuration = TimeSpan.FromSeconds(Math.Max(60, destination.ConnectTimeoutSeconds * 4)),
            BatchSize = destination.MaxInstancesPerAssociation,
            RetryPolicy = new RetryPolicy
            {
                BaseDelay = TimeSpan.FromSeconds(destination.BaseDelaySeconds),
                MaxDelay = TimeSpan.FromSeconds(destination.MaxDelaySeconds),
            },
        };
        return new DeliveryWorker(dataSource, options, (batch, ct) => CStoreSender.SendAsync(destination, batch, dataFolder, ct), logger);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Delivering to {Destination} ({AeTitle}@{Host}:{Port}) with {Concurrency} sender(s)")]
    private static partial void LogDestination(ILogger logger, string destination, string aeTitle, string host, int port, int concurrency);
}
