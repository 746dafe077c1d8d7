using System.Diagnostics;
using Agent.Dicom;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Services;

namespace Agent.Dicom.Network.Tests;

/// <summary>
/// Storage Commitment Push Model SCU against Orthanc 1.10 as the SCP (PS3.4 J): we store instances into it, ask it
/// to commit them, and its result arrives as an N-EVENT-REPORT.
/// </summary>
public sealed class StorageCommitmentWithOrthancTests : IAsyncLifetime
{
    private static readonly string[] Files = ["CT_small.dcm", "MR_small.dcm", "liver_1frame.dcm"];
    private readonly TempFolder _folder = new();
    private readonly RecordingCommitmentReports _reports = new();
    private TestServer _scp = null!;
    private Process _orthanc = null!;
    private int _dicomPort;

    public async Task InitializeAsync()
    {
        _scp = await TestServer.StartAsync(services: s => s with { StorageCommitmentReports = _reports });
        _dicomPort = Tools.FreePort();
        var config = _folder.Combine("orthanc.json");
        // Orthanc takes storage commitment requests only from modalities it knows, and sends the result to that modality.
        await File.WriteAllTextAsync(config, $$"""
            {
              "Name": "test", "HttpPort": {{Tools.FreePort()}}, "DicomPort": {{_dicomPort}}, "DicomAet": "ORTHANC",
              "StorageDirectory": "{{_folder.Combine("storage")}}", "IndexDirectory": "{{_folder.Combine("index")}}",
              "RemoteAccessAllowed": false, "AuthenticationEnabled": false, "DicomCheckCalledAet": false,
              "DicomModalities": { "agent": [ "AGENT", "127.0.0.1", {{_scp.Port}} ] },
              "Plugins": []
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

    private DicomClientOptions Options(TimeSpan reportWait) => new()
    {
        Host = "127.0.0.1", Port = _dicomPort, CallingAeTitle = "AGENT", CalledAeTitle = "ORTHANC", StorageCommitmentReportWait = reportWait,
    };

    /// <summary>The test files stored into Orthanc, as the references a commitment request names.</summary>
    private async Task<List<SopReference>> StoreIntoOrthancAsync()
    {
        var paths = Files.Select(Tools.TestFile).ToArray();
        var results = await DicomStoreSender.SendAsync(Options(TimeSpan.Zero), paths);
        Assert.All(results, r => Assert.True(r.Succeeded, $"{r.Path}: {r.Status} {r.Error}"));
        return paths.Select(p => DicomFileMeta.ReadHeader(p)).Select(h => new SopReference(h.SopClassUid!, h.SopInstanceUid!)).ToList();
    }

    [Fact]
    public async Task Orthanc_commits_what_it_holds_and_reports_on_an_association_of_its_own_to_our_server()
    {
        var stored = await StoreIntoOrthancAsync();
        var transaction = DicomUidGenerator.Create();
        var result = await DicomClient.CommitAsync(Options(TimeSpan.Zero), transaction, stored);
        Assert.True(result.Accepted, result.Response.ToString());
        Assert.Null(result.Report);

        var report = await _reports.WaitForAsync(transaction);
        Assert.Equal((StorageCommitmentReport.AllCommittedEvent, "ORTHANC", false), (report.EventTypeId, report.Association.CallingAeTitle, report.OnRequestingAssociation));
        Assert.Equal(stored.ToHashSet(), report.Committed.ToHashSet());
        Assert.Empty(report.Failed);
        // Orthanc opens that association as the SOP class's SCP (role selection), which our server accepted.
        Assert.Contains(new Agent.Dicom.Network.Pdu.RoleSelection(DicomUids.StorageCommitmentPushModel.Uid, false, true), report.Association.RoleSelections);
    }

    [Fact]
    public async Task An_instance_orthanc_does_not_hold_is_reported_failed_with_reason_no_such_object_instance()
    {
        var stored = await StoreIntoOrthancAsync();
        var missing = new SopReference(NServiceData.CtImage, DicomUidGenerator.Create());
        var transaction = DicomUidGenerator.Create();
        Assert.True((await DicomClient.CommitAsync(Options(TimeSpan.Zero), transaction, [.. stored, missing])).Accepted);

        var report = await _reports.WaitForAsync(transaction);
        Assert.Equal(StorageCommitmentReport.FailuresExistEvent, report.EventTypeId);
        Assert.Equal(stored.ToHashSet(), report.Committed.ToHashSet());
        var failure = Assert.Single(report.Failed);
        Assert.Equal((missing, (ushort)0x0112, "no such object instance"), (failure.Sop, failure.FailureReason, failure.Meaning));
    }

    [Fact]
    public async Task Orthanc_reports_on_its_own_association_even_while_the_requesting_one_is_still_open()
    {
        var stored = await StoreIntoOrthancAsync();
        var transaction = DicomUidGenerator.Create();
        using var stop = new CancellationTokenSource();
        // Wait on the requesting association far longer than the test takes; the result arriving at our server decides.
        var commit = DicomClient.CommitAsync(Options(TimeSpan.FromMinutes(10)), transaction, stored, cancellationToken: stop.Token);

        var report = await _reports.WaitForAsync(transaction);
        Assert.False(commit.IsCompleted, "the requesting association should still be waiting");
        Assert.Equal(("ORTHANC", false), (report.Association.CallingAeTitle, report.OnRequestingAssociation));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => commit);
    }
}
