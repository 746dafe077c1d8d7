using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Agent.Inference;

/// <summary>Limits how many inferences run at once on each device (memory and throughput both suffer beyond that).</summary>
public sealed class DeviceGate : IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new(StringComparer.Ordinal);
    private readonly int perDevice;

    public DeviceGate(int concurrentInferencesPerDevice)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrentInferencesPerDevice, 1);
        perDevice = concurrentInferencesPerDevice;
    }

    public async Task<IDisposable> EnterAsync(Device device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var gate = gates.GetOrAdd(device.ToString(), _ => new SemaphoreSlim(perDevice, perDevice));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(gate);
    }

    public void Dispose()
    {
        foreach (var g in gates.Values) g.Dispose();
    }

    private sealed class Lease(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) gate.Release();
        }
    }
}
