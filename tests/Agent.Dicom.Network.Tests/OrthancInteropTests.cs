using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Agent.Dicom;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Tests;

/// <summary>Orthanc (a real PACS) as the peer: our SCU stores into it, queries it, and has it C-MOVE back to our SCP.</summary>
public sealed class OrthancInteropTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private TestServer _scp = null!;
    private Process _orthanc = null!;
    private int _dicomPort;

    public async Task InitializeAsync()
    {
        _scp = await TestServer.StartAsync();
        _dicomPort = Tools.FreePort();
        var httpPort = Tools.FreePort();
        var config = _folder.Combine("orthanc.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "Name": "test", "HttpPort": {{httpPort}}, "DicomPort": {{_dicomPort}}, "DicomAet": "ORTHANC",
              "StorageDirectory": "{{_folder.Combine("storage")}}", "IndexDirectory": "{{_folder.Combine("index")}}",
              "RemoteAccessAllowed": false, "AuthenticationEnabled": false, "DicomCheckCalledAet": false,
              "DicomModalities": { "agent": [ "AGENT", "127.0.0.1", {{_scp.Port}} ] },
              "Plugins": [], "StableAge": 1
            }
            """);
        _orthanc = Tools.Start("/usr/sbin/Orthanc", [config], _folder.Path);
        await Tools.WaitForPortAsync(_dicomPort, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        _orthanc.Kill();
        await _orthanc.WaitForExitAsync();
        _orthanc.Dispose();
        await _scp.DisposeAsync();
        _folder.Dispose();
    }

    private DicomClientOptions Options => new() { Host = "127.0.0.1", Port = _dicomPort, CallingAeTitle = "AGENT", CalledAeTitle = "ORTHANC" };

    [Fact]
    public async Task Our_client_stores_into_orthanc_then_finds_the_study_and_moves_it_back_to_our_scp()
    {
        var files = new[] { "CT_small.dcm", "liver_1frame.dcm" }.Select(Tools.TestFile).ToArray();
        var stores = files.Select(CStoreRequest.FromFile).ToList();
        await using (var client = await DicomClient.ConnectForAsync(Options, stores))
        {
            foreach (var s in stores) Assert.True((await client.SendForFinalAsync(s)).Status.IsSuccess);
            await client.ReleaseAsync();
        }

        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, "");
        identifier.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "");
        var find = new CFindRequest(QueryRetrieveLevel.Study, identifier);
        var studies = new List<string>();
        await using (var client = await DicomClient.ConnectForAsync(Options, [find]))
        {
            await foreach (var rsp in client.SendAsync(find))
                if (rsp.Status.IsPending) studies.Add(rsp.Identifier!.GetString(DicomTags.StudyInstanceUID)!);
            await client.ReleaseAsync();
        }
        Assert.Equal(2, studies.Count);

        var moveKey = new DicomDataset();
        moveKey.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322");
        var move = new CMoveRequest("AGENT", QueryRetrieveLevel.Study, moveKey);
        await using (var client = await DicomClient.ConnectForAsync(Options, [move]))
        {
            var final = await client.SendForFinalAsync(move);
            Assert.True(final.Status.IsSuccess, final.ToString());
            await client.ReleaseAsync();
        }
        var stored = Assert.Single(_scp.Stored);
        Assert.Equal(await Dcmdump.DataSetAsync(files[0]), await Dcmdump.DataSetAsync(stored.Path));
    }

    [Fact]
    public async Task Orthanc_echoes_our_client()
        => Assert.True((await DicomClient.EchoAsync(Options)).IsSuccess);
}
