using static TorchSharp.torch;

namespace Agent.Inference.Tests;

public sealed class DeviceGateTests
{
    [Fact]
    public async Task A_second_inference_on_a_full_device_waits_until_the_first_finishes()
    {
        using var gate = new DeviceGate(1);
        var first = await gate.EnterAsync(CPU, CancellationToken.None);
        var second = gate.EnterAsync(CPU, CancellationToken.None);

        Assert.False(second.IsCompleted);
        first.Dispose();
        using var lease = await second;
        Assert.True(second.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Waiting_for_a_device_can_be_cancelled()
    {
        using var gate = new DeviceGate(1);
        using var first = await gate.EnterAsync(CPU, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiting = gate.EnterAsync(CPU, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
