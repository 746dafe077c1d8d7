using Agent.Host.Ingest;
using Agent.Host.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agent.Host.Hosting;

/// <summary>Prepares the instance store before the SCP accepts anything: folders, and removal of crash leftovers.</summary>
internal sealed class InstanceStoreService(InstanceStore store, ILogger<InstanceStoreService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var removed = store.RemoveIncomplete();
        if (removed > 0) Log.RemovedIncomplete(logger, removed);
        Log.DataFolder(logger, store.DataFolder, store.InstancesFolder);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
