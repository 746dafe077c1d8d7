using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Services;
using Agent.Storage.Files;
using Agent.Tests.Shared;

namespace Agent.Dicom.Network.Tests;

public sealed class DurableStoreTests
{
    [Fact]
    public async Task A_durable_store_renames_the_file_into_place_and_leaves_nothing_in_incoming()
    {
        await using var server = await TestServer.StartAsync(durable: true);
        var options = new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CallingAeTitle = "SENDER", CalledAeTitle = "AGENT" };
        var store = CStoreRequest.FromFile(Tools.TestFile("CT_small.dcm"));
        await using (var client = await DicomClient.ConnectForAsync(options, [store]))
        {
            Assert.True((await client.SendForFinalAsync(store)).Status.IsSuccess);
            await client.ReleaseAsync();
        }
        var stored = Assert.Single(server.Stored);
        Assert.Equal(server.Store.RootFolder, Path.GetDirectoryName(stored.Path));
        InteropWithDcmtkTests.AssertSameDataSet(Tools.TestFile("CT_small.dcm"), stored.Path);
        Assert.Empty(Directory.GetFiles(Path.Combine(server.Store.RootFolder, ".incoming")));
    }

    [Fact]
    public void Syncing_an_existing_folder_succeeds_and_a_missing_one_is_an_io_error()
    {
        using var folder = new TempFolder();
        DirectorySync.Flush(folder.Path);
        Assert.Throws<IOException>(() => DirectorySync.Flush(folder.Combine("missing")));
    }
}
