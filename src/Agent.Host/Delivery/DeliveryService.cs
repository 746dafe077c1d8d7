using Agent.Host.Hosting;
using Agent.Storage.Queue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agent.Host.Delivery;

/// <summary>
/// Sends queued outputs to their destinations: per destination, <see cref="DestinationOptions.Concurrency"/> outbox
/// workers, each leasing one delivery at a time, with the destination's exponential backoff and attempt limit.
/// Deliveries naming an unconfigured destination stay queued (and visible) until it is configured.
/// </summary>
public sealed partial class DeliveryService(DatabaseAccess database, IOptions<DestinationsOptions> destinations, Configuration.AgentSettings settings, ILogger<DeliveryService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = new List<Task>();
        foreach (var (name, destination) in destinations.Value)
        {
            LogDestination(logger, name, destination.AeTitle, destination.Host, destination.Port, destination.Concurrency);
            for (int i = 0; i < destination.Concurrency; i++)
                workers.Add(CreateWorker(database.DataSource, name, destination, i, logger, dataFolder: settings.DataFolder).RunAsync(stoppingToken));
        }
        return Task.WhenAll(workers);
    }

    /// <summary>One outbox worker for <paramref name="name"/>; also used by tests to drive deliveries step by step.</summary>
    public static DeliveryWorker CreateWorker(DatabaseAccess database, string name, DestinationOptions destination, int index, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return CreateWorker(database.DataSource, name, destination, index, logger);
    }

    /// <param name="dataFolder">Outputs record their file relative to the data folder (so it can move); null = as recorded.</param>
    public static DeliveryWorker CreateWorker(Npgsql.NpgsqlDataSource dataSource, string name, DestinationOptions destination, int index, ILogger? logger = null, TimeSpan? pollInterval = null, string? dataFolder = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var options = new JobWorkerOptions
        {
            Name = $"deliver-{name}-{index}",
            Kinds = [name],
            PollInterval = pollInterval ?? TimeSpan.FromSeconds(10),
            LeaseDuration = TimeSpan.FromSeconds(Math.Max(60, destination.ConnectTimeoutSeconds * 4)),
            RetryPolicy = new RetryPolicy
            {
                BaseDelay = TimeSpan.FromSeconds(destination.BaseDelaySeconds),
                MaxDelay = TimeSpan.FromSeconds(destination.MaxDelaySeconds),
            },
        };
        return new DeliveryWorker(dataSource, options, (lease, ct) => CStoreSender.SendAsync(destination, lease, dataFolder, ct), logger);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Delivering to {Destination} ({AeTitle}@{Host}:{Port}) with {Concurrency} sender(s)")]
    private static partial void LogDestination(ILogger logger, string destination, string aeTitle, string host, int port, int concurrency);
}
