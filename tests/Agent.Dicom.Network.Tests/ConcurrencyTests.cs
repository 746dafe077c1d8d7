using System.Globalization;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Many_concurrent_associations_each_store_their_instances_and_all_arrive()
    {
        await using var server = await TestServer.StartAsync();
        const int clients = 12, perClient = 5;
        var data = File.ReadAllBytes(Tools.TestFile("CT_small.dcm"));
        var meta = DicomFileMeta.ReadHeader(Tools.TestFile("CT_small.dcm"));
        var dataSet = data.AsMemory((int)meta.DataSetOffset);
        var options = new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CalledAeTitle = "AGENT" };
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var requests = Enumerable.Range(0, perClient)
                .Select(i => CStoreRequest.FromDataSetBytes(DicomUids.CTImageStorage.Uid, string.Create(CultureInfo.InvariantCulture, $"1.2.3.{c}.{i}"), meta.TransferSyntaxUid!, dataSet))
                .ToList();
            await using var client = await DicomClient.ConnectForAsync(options with { CallingAeTitle = $"SCU{c}" }, requests);
            foreach (var rq in requests) Assert.True((await client.SendForFinalAsync(rq)).Status.IsSuccess);
            await client.ReleaseAsync();
        }));
        Assert.Equal(clients * perClient, server.Stored.Count);
        Assert.Equal(clients * perClient, server.Stored.Select(s => s.Path).Distinct().Count());
        Assert.All(server.Stored, s => Assert.Equal(dataSet.Length, s.DataSetLength));
        Assert.Equal(clients, server.Stored.Select(s => s.Request.Association.Id).Distinct().Count());
    }
}
