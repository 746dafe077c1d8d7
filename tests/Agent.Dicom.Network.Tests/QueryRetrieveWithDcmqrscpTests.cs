using System.Diagnostics;
using System.Globalization;
using Agent.Dicom;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Services;
using Agent.Tests.Shared;

namespace Agent.Dicom.Network.Tests;

/// <summary>Our C-FIND/C-MOVE/C-GET SCU against DCMTK's dcmqrscp archive, with C-MOVE delivering to our own SCP.</summary>
public sealed class QueryRetrieveWithDcmqrscpTests : IAsyncLifetime
{
    private const string StudyUid = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322"; // CT_small's study
    private readonly TempFolder _folder = new();
    private TestServer _scp = null!;
    private Process _archive = null!;
    private int _archivePort;

    public async Task InitializeAsync()
    {
        _scp = await TestServer.StartAsync();
        _archivePort = Tools.FreePort();
        var db = Directory.CreateDirectory(_folder.Combine("db")).FullName;
        var config = _folder.Combine("dcmqrscp.cfg");
        await File.WriteAllTextAsync(config, $"""
            NetworkTCPPort = {_archivePort}
            MaxPDUSize = 65536
            MaxAssociations = 16
            HostTable BEGIN
            agent = (AGENT, 127.0.0.1, {_scp.Port})
            HostTable END
            VendorTable BEGIN
            VendorTable END
            AETable BEGIN
            QRSCP {db} RW (100, 1024mb) ANY
            AETable END
            """);
        _archive = Tools.Start("dcmqrscp", ["-c", config, "--disable-host-lookup", _archivePort.ToString(CultureInfo.InvariantCulture)]);
        await Tools.WaitForPortAsync(_archivePort, TimeSpan.FromSeconds(60));
        var r = await Tools.RunAsync("storescu", ["-aet", "LOADER", "-aec", "QRSCP", "-R", "127.0.0.1", _archivePort.ToString(CultureInfo.InvariantCulture),
            Tools.TestFile("CT_small.dcm"), Tools.TestFile("MR_small.dcm")]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    public async Task DisposeAsync()
    {
        _archive.Kill();
        await _archive.WaitForExitAsync();
        _archive.Dispose();
        await _scp.DisposeAsync();
        _folder.Dispose();
    }

    private DicomClientOptions Options => new() { Host = "127.0.0.1", Port = _archivePort, CallingAeTitle = "AGENT", CalledAeTitle = "QRSCP" };

    [Fact]
    public async Task Find_at_study_level_returns_each_study_as_a_pending_match()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, "");
        identifier.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "");
        var find = new CFindRequest(QueryRetrieveLevel.Study, identifier);
        await using var client = await DicomClient.ConnectForAsync(Options, [find]);
        var responses = new List<DicomResponse>();
        await foreach (var rsp in client.SendAsync(find)) responses.Add(rsp);
        Assert.True(responses[^1].Status.IsSuccess, responses[^1].ToString());
        var matches = responses.Where(r => r.Status.IsPending).Select(r => r.Identifier!.GetString(DicomTags.StudyInstanceUID)).ToList();
        Assert.Equal(2, matches.Count);
        Assert.Contains(StudyUid, matches);
        await client.ReleaseAsync();
    }

    [Fact]
    public async Task Find_at_image_level_with_a_study_key_returns_its_instances()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, StudyUid);
        identifier.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, "");
        identifier.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "");
        var find = new CFindRequest(QueryRetrieveLevel.Image, identifier);
        await using var client = await DicomClient.ConnectForAsync(Options, [find]);
        var matches = new List<string?>();
        await foreach (var rsp in client.SendAsync(find))
            if (rsp.Status.IsPending) matches.Add(rsp.Identifier!.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal(["1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322"], matches);
    }

    [Fact]
    public async Task Move_sends_the_study_to_our_scp_and_reports_completed_suboperations()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, StudyUid);
        var move = new CMoveRequest("AGENT", QueryRetrieveLevel.Study, identifier);
        await using var client = await DicomClient.ConnectForAsync(Options, [move]);
        var final = await client.SendForFinalAsync(move);
        Assert.True(final.Status.IsSuccess, final.ToString());
        Assert.Equal((ushort)1, final.Completed);
        var stored = Assert.Single(_scp.Stored);
        Assert.Equal("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", stored.Request.SopInstanceUid);
        Assert.Equal("QRSCP", stored.Request.Association.CallingAeTitle);
    }

    [Fact]
    public async Task Get_delivers_the_instances_on_the_same_association_to_our_store_provider()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, StudyUid);
        var get = new CGetRequest(QueryRetrieveLevel.Study, identifier);
        var received = new List<StoredInstance>();
        var store = new FileStoreProvider(_folder.Combine("get"), durable: false, (s, _) => { received.Add(s); return ValueTask.CompletedTask; });
        await using var client = await DicomClient.ConnectForAsync(Options, [get], new DicomServices { Store = store });
        var final = await client.SendForFinalAsync(get);
        Assert.True(final.Status.IsSuccess, final.ToString());
        var one = Assert.Single(received);
        Assert.Equal(await Dcmdump.DataSetAsync(Tools.TestFile("CT_small.dcm")), await Dcmdump.DataSetAsync(one.Path));
    }

    [Fact]
    public async Task Cancelling_a_find_sends_c_cancel_and_leaves_the_association_usable()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, "");
        var find = new CFindRequest(QueryRetrieveLevel.Study, identifier);
        var echo = new CEchoRequest();
        await using var client = await DicomClient.ConnectForAsync(Options, [find, echo]);
        using var cts = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var rsp in client.SendAsync(find, cts.Token))
            {
                seen++;
                await cts.CancelAsync();
            }
        });
        Assert.Equal(1, seen);
        Assert.True(client.IsConnected);
        Assert.True((await client.SendForFinalAsync(echo)).Status.IsSuccess);
        await client.ReleaseAsync();
    }
}
