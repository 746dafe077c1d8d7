using System.Net;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Server;
using Agent.Dicom.Network.Services;

namespace Agent.Dicom.Network.Tests;

public sealed class GracefulShutdownTests
{
    /// <summary>Holds the first fragment until released, so the test can stop the server mid-transfer.</summary>
    private sealed class GatedStore : IStoreProvider, IStoreSink
    {
        public TaskCompletionSource FirstFragment { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long Received { get; private set; }

        public ValueTask<IStoreSink> BeginStoreAsync(StoreRequestInfo request, CancellationToken cancellationToken) => ValueTask.FromResult<IStoreSink>(this);

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetFragment, CancellationToken cancellationToken)
        {
            FirstFragment.TrySetResult();
            await Gate.Task.WaitAsync(cancellationToken);
            Received += dataSetFragment.Length;
        }

        public ValueTask<StoreResult> CompleteAsync(CancellationToken cancellationToken) => ValueTask.FromResult(StoreResult.Success);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Stopping_the_server_lets_an_in_flight_store_finish_and_answer_before_closing()
    {
        var store = new GatedStore();
        var server = new DicomServer(new DicomServerOptions { BindAddress = IPAddress.Loopback, Port = 0 }, new DicomServices { Store = store });
        await server.StartAsync(CancellationToken.None);
        var data = new byte[4 * 1024 * 1024];
        var request = CStoreRequest.FromDataSetBytes(DicomUids.CTImageStorage.Uid, "1.2.3", "1.2.840.10008.1.2", data);
        await using var client = await DicomClient.ConnectForAsync(new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CalledAeTitle = "AGENT" }, [request]);
        var sending = client.SendForFinalAsync(request);
        await store.FirstFragment.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var stopping = server.StopAsync(CancellationToken.None);
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted);
        store.Gate.SetResult();
        var rsp = await sending.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(rsp.Status.IsSuccess);
        Assert.Equal(data.Length, store.Received);
        await stopping.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, server.ActiveAssociations);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Stopping_the_server_aborts_idle_associations_at_once()
    {
        var server = new DicomServer(new DicomServerOptions { BindAddress = IPAddress.Loopback, Port = 0 }, new DicomServices());
        await server.StartAsync(CancellationToken.None);
        await using var client = await DicomClient.ConnectForAsync(new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CalledAeTitle = "AGENT" }, [new CEchoRequest()]);
        await server.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        await AccessControlAndTlsTests.WaitUntilAsync(() => !client.IsConnected);
        await Assert.ThrowsAnyAsync<DicomNetworkException>(() => client.SendForFinalAsync(new CEchoRequest()));
        await server.DisposeAsync();
    }
}
