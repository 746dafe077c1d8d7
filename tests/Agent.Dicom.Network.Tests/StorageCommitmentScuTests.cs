using System.Net;
using System.Net.Sockets;
using Agent.Dicom;
using Agent.Dicom.IO;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Pdu;
using Agent.Dicom.Network.Services;
using static Agent.Dicom.Network.Tests.NServiceData;

namespace Agent.Dicom.Network.Tests;

/// <summary>
/// Storage Commitment SCU paths Orthanc does not take: the result on the requesting association (a scripted SCP at the
/// wire level sends it), and the checks our server applies to results arriving on associations a PACS opens.
/// </summary>
public sealed class StorageCommitmentScuTests
{
    private static readonly string Commitment = DicomUids.StorageCommitmentPushModel.Uid;
    private static readonly string WellKnownInstance = DicomUids.StorageCommitmentPushModelInstance.Uid;
    private static readonly DicomTransferSyntax Explicit = DicomTransferSyntax.ExplicitVRLittleEndian;

    private static DicomClientOptions Options(int port, TimeSpan wait) => new()
    {
        Host = "127.0.0.1", Port = port, CallingAeTitle = "AGENT", CalledAeTitle = "PACS", StorageCommitmentReportWait = wait,
    };

    private static DicomDataset Result(string transaction, IEnumerable<SopReference> committed, params (SopReference Sop, ushort Reason)[] failed)
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.TransactionUID, DicomVR.UI, transaction)
            .AddOrUpdate(DicomTags.RetrieveAETitle, DicomVR.AE, "PACS")
            .AddOrUpdate(new DicomSequence(DicomTags.ReferencedSOPSequence, committed.Select(r => Reference(r.SopClassUid, r.SopInstanceUid))));
        if (failed.Length > 0)
            ds.AddOrUpdate(new DicomSequence(DicomTags.FailedSOPSequence, failed.Select(f => Reference(f.Sop.SopClassUid, f.Sop.SopInstanceUid)
                .AddOrUpdate(DicomTags.FailureReason, DicomVR.US, f.Reason))));
        return ds;
    }

    /// <summary>A Storage Commitment SCP scripted at the wire level on an ephemeral port.</summary>
    private sealed class ScriptedScp : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private WirePeer? _peer;
        private byte _context;

        public ScriptedScp() => _listener.Start();

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>Accepts our association and reads the N-ACTION: its transaction and references.</summary>
        public async Task<(ushort MessageId, string Transaction, List<SopReference> References)> ReceiveRequestAsync()
        {
            _peer = await WirePeer.AcceptAsync(_listener);
            var (context, command, data) = await _peer.ReadMessageAsync();
            _context = context;
            Assert.Equal((CommandField.NActionRequest, Commitment, WellKnownInstance, (ushort?)1),
                (command.CommandField, command.RequestedSopClassUid, command.RequestedSopInstanceUid, command.ActionTypeId));
            var info = DicomReader.ReadDataset(data, Explicit);
            return (command.MessageId, info.GetString(DicomTags.TransactionUID)!, MppsSummaryReferences(info));
        }

        private static List<SopReference> MppsSummaryReferences(DicomDataset info)
            => info.GetSequence(DicomTags.ReferencedSOPSequence)!.Items.Select(i => new SopReference(i.GetString(DicomTags.ReferencedSOPClassUID)!, i.GetString(DicomTags.ReferencedSOPInstanceUID)!)).ToList();

        public Task AnswerRequestAsync(ushort messageId, DimseStatus status) => _peer!.SendAsync(WirePeer.Command(_context, new DimseCommand
        {
            CommandField = CommandField.NActionResponse, MessageIdBeingRespondedTo = messageId, AffectedSopClassUid = Commitment,
            AffectedSopInstanceUid = WellKnownInstance, ActionTypeId = 1, Status = status, HasDataSet = false,
        }));

        /// <summary>Sends a result on the same association and returns our answer to it.</summary>
        public async Task<DimseCommand> ReportAsync(ushort messageId, ushort eventType, DicomDataset information)
        {
            var command = new DimseCommand
            {
                CommandField = CommandField.NEventReportRequest, MessageId = messageId, AffectedSopClassUid = Commitment,
                AffectedSopInstanceUid = WellKnownInstance, EventTypeId = eventType, HasDataSet = true,
            };
            await _peer!.SendAsync(WirePeer.Command(_context, command), new PresentationDataValue(_context, false, true, DicomWriter.Encode(information, Explicit)));
            var (_, answer, _) = await _peer.ReadMessageAsync();
            return answer;
        }

        /// <summary>Our side ends the association with a release, which the SCP answers.</summary>
        public async Task ExpectReleaseAsync()
        {
            Assert.IsType<ReleaseRequestPdu>(await _peer!.ReadAsync());
            await _peer.SendAsync(new ReleaseResponsePdu());
        }

        public async ValueTask DisposeAsync()
        {
            if (_peer is not null) await _peer.DisposeAsync();
            _listener.Stop();
            _listener.Dispose();
        }
    }

    [Fact]
    public async Task A_result_on_the_requesting_association_is_acknowledged_and_returned_by_commit()
    {
        await using var scp = new ScriptedScp();
        var refs = new[] { new SopReference(CtImage, Uid()), new SopReference(CtImage, Uid()) };
        var transaction = Uid();
        // The wait is far longer than the test: the result's arrival ends it, not the clock.
        var commit = DicomClient.CommitAsync(Options(scp.Port, TimeSpan.FromMinutes(10)), transaction, refs);

        var (id, sentTransaction, sentRefs) = await scp.ReceiveRequestAsync();
        Assert.Equal(transaction, sentTransaction);
        Assert.Equal(refs, sentRefs);
        await scp.AnswerRequestAsync(id, DimseStatus.Success);
        var answer = await scp.ReportAsync(1, 2, Result(transaction, [refs[0]], (refs[1], 0x0213)));
        Assert.Equal((CommandField.NEventReportResponse, DimseStatus.Success, (ushort?)2, WellKnownInstance),
            (answer.CommandField, answer.Status, answer.EventTypeId, answer.AffectedSopInstanceUid));
        await scp.ExpectReleaseAsync();

        var result = await commit.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(result.Accepted);
        var report = result.Report!;
        Assert.Equal((transaction, (ushort)2, true, "PACS"), (report.TransactionUid, report.EventTypeId, report.OnRequestingAssociation, report.RetrieveAeTitle));
        Assert.Equal([refs[0]], report.Committed);
        Assert.Equal([new StorageCommitmentFailure(refs[1], 0x0213)], report.Failed);
    }

    [Fact]
    public async Task With_a_provider_every_result_on_the_association_is_recorded_before_it_is_acknowledged()
    {
        await using var scp = new ScriptedScp();
        var reports = new RecordingCommitmentReports();
        var refs = new[] { new SopReference(CtImage, Uid()) };
        var (transaction, earlier) = (Uid(), Uid());
        var commit = DicomClient.CommitAsync(Options(scp.Port, TimeSpan.FromMinutes(10)), transaction, refs, reports);

        var (id, _, _) = await scp.ReceiveRequestAsync();
        await scp.AnswerRequestAsync(id, DimseStatus.Success);
        // A PACS may pass on an earlier transaction's result on any association with us: it goes to the provider only.
        Assert.Equal(DimseStatus.Success, (await scp.ReportAsync(1, 1, Result(earlier, refs))).Status);
        Assert.True(reports.Has(earlier));
        Assert.False(commit.IsCompleted);
        Assert.Equal(DimseStatus.Success, (await scp.ReportAsync(2, 1, Result(transaction, refs))).Status);
        await scp.ExpectReleaseAsync();

        var result = await commit.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(transaction, result.Report!.TransactionUid);
        Assert.True((await reports.WaitForAsync(transaction)).OnRequestingAssociation);
    }

    [Fact]
    public async Task Without_a_provider_a_result_for_another_transaction_is_refused_rather_than_lost()
    {
        await using var scp = new ScriptedScp();
        var refs = new[] { new SopReference(CtImage, Uid()) };
        var transaction = Uid();
        var commit = DicomClient.CommitAsync(Options(scp.Port, TimeSpan.FromMinutes(10)), transaction, refs);

        var (id, _, _) = await scp.ReceiveRequestAsync();
        await scp.AnswerRequestAsync(id, DimseStatus.Success);
        Assert.Equal(DimseStatus.ProcessingFailure, (await scp.ReportAsync(1, 1, Result(Uid(), refs))).Status);
        Assert.Equal(DimseStatus.Success, (await scp.ReportAsync(2, 1, Result(transaction, refs))).Status);
        await scp.ExpectReleaseAsync();
        Assert.Equal(transaction, (await commit.WaitAsync(TimeSpan.FromSeconds(60))).Report!.TransactionUid);
    }

    [Fact]
    public async Task A_refused_request_returns_at_once_without_waiting_for_a_result()
    {
        await using var scp = new ScriptedScp();
        var commit = DicomClient.CommitAsync(Options(scp.Port, TimeSpan.FromMinutes(10)), Uid(), [new SopReference(CtImage, Uid())]);
        var (id, _, _) = await scp.ReceiveRequestAsync();
        await scp.AnswerRequestAsync(id, DimseStatus.ResourceLimitation);
        await scp.ExpectReleaseAsync();
        var result = await commit.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal((false, DimseStatus.ResourceLimitation, null), (result.Accepted, result.Response.Status, result.Report));
    }

    [Fact]
    public void A_request_needs_a_valid_transaction_uid_and_an_instance()
    {
        Assert.Throws<ArgumentException>(() => DicomClient.StorageCommitmentRequest("1.2.03", [new SopReference(CtImage, "1.2.3")]));
        Assert.Throws<ArgumentException>(() => DicomClient.StorageCommitmentRequest("1.2.3", []));
    }

    // ------------------------------------------------------------------ results arriving at our server

    private static Task<DicomClient> ConnectAsPacsAsync(int port, bool proposeScpRole = true) => DicomClient.ConnectAsync(
        new DicomClientOptions { Host = "127.0.0.1", Port = port, CallingAeTitle = "PACS", CalledAeTitle = "AGENT" },
        [new PresentationContextRequest(Commitment, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid]) { ProposeScpRole = proposeScpRole }]);

    [Fact]
    public async Task Our_server_takes_a_result_on_an_association_the_pacs_opens_as_the_sop_classs_scp()
    {
        var reports = new RecordingCommitmentReports();
        await using var server = await TestServer.StartAsync(services: s => s with { StorageCommitmentReports = reports });
        await using var pacs = await ConnectAsPacsAsync(server.Port);
        Assert.Equal([new RoleSelection(Commitment, false, true)], pacs.Association.RoleSelections);
        var (transaction, sop) = (Uid(), new SopReference(CtImage, Uid()));

        var rsp = await pacs.SendAsync(new NEventReportRequest(Commitment, WellKnownInstance, 1, Result(transaction, [sop])));
        Assert.Equal((DimseStatus.Success, (ushort?)1, WellKnownInstance), (rsp.Status, rsp.EventTypeId, rsp.AffectedSopInstanceUid));
        await pacs.ReleaseAsync();
        var report = await reports.WaitForAsync(transaction);
        Assert.Equal([sop], report.Committed);
        Assert.Equal(("PACS", false), (report.Association.CallingAeTitle, report.OnRequestingAssociation));
    }

    [Fact]
    public async Task Our_server_also_takes_a_result_from_a_pacs_that_negotiates_no_roles()
    {
        var reports = new RecordingCommitmentReports();
        await using var server = await TestServer.StartAsync(services: s => s with { StorageCommitmentReports = reports });
        await using var pacs = await ConnectAsPacsAsync(server.Port, proposeScpRole: false);
        var transaction = Uid();
        Assert.Equal(DimseStatus.Success, (await pacs.SendAsync(new NEventReportRequest(Commitment, WellKnownInstance, 1, Result(transaction, [new SopReference(CtImage, Uid())])))).Status);
        await pacs.ReleaseAsync();
        Assert.Equal(transaction, (await reports.WaitForAsync(transaction)).TransactionUid);
    }

    public static TheoryData<string, ushort, DicomDataset?, ushort> BadResults => new()
    {
        { "event type 3", 3, Result("1.2.3", [new SopReference(CtImage, "1.2.4")]), 0x0113 },
        { "no event information", 1, null, 0x0115 },
        { "no transaction", 1, new DicomDataset().AddOrUpdate(DicomTags.RetrieveAETitle, DicomVR.AE, "PACS"), 0x0115 },
        { "failures without a Failed SOP Sequence", 2, Result("1.2.3", [new SopReference(CtImage, "1.2.4")]), 0x0115 },
    };

    [Theory]
    [MemberData(nameof(BadResults))]
    public async Task A_result_our_server_cannot_use_is_refused_with_an_n_event_report_status(string why, ushort eventType, DicomDataset? information, ushort status)
    {
        var reports = new RecordingCommitmentReports();
        await using var server = await TestServer.StartAsync(services: s => s with { StorageCommitmentReports = reports });
        await using var pacs = await ConnectAsPacsAsync(server.Port);
        var rsp = await pacs.SendAsync(new NEventReportRequest(Commitment, WellKnownInstance, eventType, information));
        Assert.True(new DimseStatus(status) == rsp.Status, $"{why}: {rsp}");
        Assert.False(reports.Has("1.2.3"));
        await pacs.ReleaseAsync();
    }

    [Fact]
    public async Task Without_a_report_provider_our_server_does_not_accept_storage_commitment()
    {
        await using var server = await TestServer.StartAsync();
        await using var pacs = await ConnectAsPacsAsync(server.Port);
        Assert.Empty(pacs.Association.PresentationContexts);
        Assert.Empty(pacs.Association.RoleSelections);
    }
}
