using System.Net;
using System.Net.Sockets;
using Agent.Dicom.IO;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Pdu;

namespace Agent.Dicom.Network.Tests;

/// <summary>
/// The DIMSE layer at the wire level: how messages are assembled from PDVs however the peer cuts them, which handler
/// answers which request, and what happens to messages nobody handles. A scripted peer writes the exact PDUs.
/// </summary>
public sealed class DimseServiceTests
{
    private const string InstanceUid = "1.2.3.4.5.6.7";

    private static DimseCommand StoreCommand(ushort messageId, string sopClass = "1.2.840.10008.5.1.4.1.1.2", bool hasDataSet = true) => new()
    {
        CommandField = CommandField.CStoreRequest, MessageId = messageId, AffectedSopClassUid = sopClass,
        AffectedSopInstanceUid = InstanceUid, Priority = DimsePriority.Medium, HasDataSet = hasDataSet,
    };

    private static DimseCommand EchoCommand(ushort messageId) => new()
    {
        CommandField = CommandField.CEchoRequest, MessageId = messageId, AffectedSopClassUid = DicomUids.Verification.Uid, HasDataSet = false,
    };

    private static byte[] DataSet(int length)
    {
        var data = new byte[length];
        new Random(12).NextBytes(data);
        return data;
    }

    private static byte[] StoredDataSet(string path) => File.ReadAllBytes(path)[(int)DicomFileMeta.ReadHeader(path).DataSetOffset..];

    [Fact]
    public async Task A_command_cut_across_three_pdus_and_a_data_set_across_many_pdvs_is_one_store_of_the_exact_bytes()
    {
        await using var server = await TestServer.StartAsync();
        await using var peer = await WirePeer.AssociateAsync(server.Port);
        var data = DataSet(100_000);
        foreach (var pdv in WirePeer.Fragments(WirePeer.CtContext, true, StoreCommand(7).Encode(), 40)) await peer.SendAsync(pdv);
        // 13 data PDVs, one or two per P-DATA-TF.
        var fragments = WirePeer.Fragments(WirePeer.CtContext, false, data, 8000);
        Assert.Equal(13, fragments.Length);
        foreach (var pdu in fragments.Chunk(3).SelectMany(c => c.Length == 3 ? new[] { c[..2], c[2..] } : [c])) await peer.SendAsync(pdu);

        var (context, rsp, rspData) = await peer.ReadMessageAsync();
        Assert.Equal((WirePeer.CtContext, CommandField.CStoreResponse, (ushort)7, DimseStatus.Success, InstanceUid),
            (context, rsp.CommandField, rsp.MessageIdBeingRespondedTo, rsp.Status, rsp.AffectedSopInstanceUid));
        Assert.Empty(rspData);
        var stored = Assert.Single(server.Stored);
        Assert.Equal(data, StoredDataSet(stored.Path));
    }

    [Fact]
    public async Task Two_complete_messages_in_one_pdu_are_answered_in_order()
    {
        await using var server = await TestServer.StartAsync();
        await using var peer = await WirePeer.AssociateAsync(server.Port);
        var data = DataSet(300);
        await peer.SendAsync(WirePeer.Command(WirePeer.VerificationContext, EchoCommand(1)), WirePeer.Command(WirePeer.CtContext, StoreCommand(2)),
            new PresentationDataValue(WirePeer.CtContext, false, true, data));

        var echo = await peer.ReadMessageAsync();
        var store = await peer.ReadMessageAsync();
        Assert.Equal((CommandField.CEchoResponse, (ushort)1, DimseStatus.Success), (echo.Command.CommandField, echo.Command.MessageIdBeingRespondedTo, echo.Command.Status));
        Assert.Equal((CommandField.CStoreResponse, (ushort)2, DimseStatus.Success), (store.Command.CommandField, store.Command.MessageIdBeingRespondedTo, store.Command.Status));
        Assert.Equal(data, StoredDataSet(Assert.Single(server.Stored).Path));
    }

    [Fact]
    public async Task A_request_nobody_provides_is_answered_unrecognized_operation_and_the_association_goes_on()
    {
        await using var server = await TestServer.StartAsync();
        await using var peer = await WirePeer.AssociateAsync(server.Port);
        var create = new DimseCommand
        {
            CommandField = CommandField.NCreateRequest, MessageId = 9, AffectedSopClassUid = DicomUids.Verification.Uid, HasDataSet = true,
        };
        await peer.SendAsync(WirePeer.Command(WirePeer.VerificationContext, create), new PresentationDataValue(WirePeer.VerificationContext, false, true, new byte[8]));

        var rsp = await peer.ReadMessageAsync();
        Assert.Equal((CommandField.NCreateResponse, (ushort)9, DimseStatus.UnrecognizedOperation, DicomUids.Verification.Uid),
            (rsp.Command.CommandField, rsp.Command.MessageIdBeingRespondedTo, rsp.Command.Status, rsp.Command.AffectedSopClassUid));
        await peer.SendAsync(WirePeer.Command(WirePeer.VerificationContext, EchoCommand(10)));
        Assert.Equal(DimseStatus.Success, (await peer.ReadMessageAsync()).Command.Status);
    }

    [Fact]
    public async Task A_response_to_no_outstanding_request_is_ignored_and_the_association_goes_on()
    {
        await using var server = await TestServer.StartAsync();
        await using var peer = await WirePeer.AssociateAsync(server.Port);
        var stray = new DimseCommand
        {
            CommandField = CommandField.CEchoResponse, MessageIdBeingRespondedTo = 77, AffectedSopClassUid = DicomUids.Verification.Uid,
            Status = DimseStatus.Success, HasDataSet = false,
        };
        await peer.SendAsync(WirePeer.Command(WirePeer.VerificationContext, stray), WirePeer.Command(WirePeer.VerificationContext, EchoCommand(78)));

        var rsp = await peer.ReadMessageAsync();
        Assert.Equal((CommandField.CEchoResponse, (ushort)78), (rsp.Command.CommandField, rsp.Command.MessageIdBeingRespondedTo));
    }

    [Fact]
    public async Task A_store_whose_sop_class_is_not_its_contexts_is_refused_A900_after_its_data_set_is_drained()
    {
        await using var server = await TestServer.StartAsync();
        await using var peer = await WirePeer.AssociateAsync(server.Port);
        await peer.SendAsync(WirePeer.Command(WirePeer.CtContext, StoreCommand(3, sopClass: DicomUids.MRImageStorage.Uid)));
        foreach (var pdv in WirePeer.Fragments(WirePeer.CtContext, false, DataSet(50_000), 10_000)) await peer.SendAsync(pdv);

        var rsp = await peer.ReadMessageAsync();
        Assert.Equal((DimseStatus.DataSetDoesNotMatchSopClass, (ushort)3), (rsp.Command.Status, rsp.Command.MessageIdBeingRespondedTo));
        Assert.Contains(DicomUids.MRImageStorage.Uid, rsp.Command.ErrorComment, StringComparison.Ordinal);
        Assert.Empty(server.Stored);
        await peer.SendAsync(WirePeer.Command(WirePeer.VerificationContext, EchoCommand(4)));
        Assert.Equal(DimseStatus.Success, (await peer.ReadMessageAsync()).Command.Status);
    }

    [Fact]
    public async Task A_store_that_announces_no_data_set_is_answered_cannot_understand_not_success()
    {
        await using var server = await TestServer.StartAsync();
        await using var peer = await WirePeer.AssociateAsync(server.Port);
        await peer.SendAsync(WirePeer.Command(WirePeer.CtContext, StoreCommand(5, hasDataSet: false)));

        var rsp = await peer.ReadMessageAsync();
        Assert.Equal((CommandField.CStoreResponse, DimseStatus.CannotUnderstand), (rsp.Command.CommandField, rsp.Command.Status));
        Assert.Empty(server.Stored);
    }

    [Fact]
    public async Task A_data_set_fragment_before_any_command_aborts_the_association()
    {
        await using var server = await TestServer.StartAsync();
        await using var peer = await WirePeer.AssociateAsync(server.Port);
        await peer.SendAsync(new PresentationDataValue(WirePeer.CtContext, false, true, new byte[4]));
        Assert.Equal(AbortSource.ServiceProvider, (await peer.ExpectAbortAsync())?.Source);
    }

    [Fact]
    public async Task A_second_command_while_a_data_set_is_expected_aborts_and_discards_the_partial_instance()
    {
        await using var server = await TestServer.StartAsync();
        await using var peer = await WirePeer.AssociateAsync(server.Port);
        await peer.SendAsync(WirePeer.Command(WirePeer.CtContext, StoreCommand(6)), new PresentationDataValue(WirePeer.CtContext, false, false, new byte[1000]));
        await peer.SendAsync(WirePeer.Command(WirePeer.CtContext, StoreCommand(7)));

        Assert.Equal(AbortSource.ServiceProvider, (await peer.ExpectAbortAsync())?.Source);
        await AssertNothingStoredAsync(server);
    }

    [Fact]
    public async Task Pdvs_of_a_message_interleaved_with_another_context_abort_the_association()
    {
        await using var server = await TestServer.StartAsync();
        await using var peer = await WirePeer.AssociateAsync(server.Port);
        await peer.SendAsync(new PresentationDataValue(WirePeer.CtContext, true, false, StoreCommand(8).Encode().AsMemory(0, 20)));
        await peer.SendAsync(WirePeer.Command(WirePeer.VerificationContext, EchoCommand(9)));
        Assert.NotNull(await peer.ExpectAbortAsync());
    }

    [Fact]
    public async Task A_release_in_the_middle_of_a_store_is_answered_and_the_partial_instance_is_discarded()
    {
        await using var server = await TestServer.StartAsync();
        await using var peer = await WirePeer.AssociateAsync(server.Port);
        await peer.SendAsync(WirePeer.Command(WirePeer.CtContext, StoreCommand(11)), new PresentationDataValue(WirePeer.CtContext, false, false, new byte[5000]));
        await peer.SendAsync(new ReleaseRequestPdu());

        Assert.IsType<ReleaseResponsePdu>(await peer.ReadAsync());
        await peer.DisposeAsync();   // the requestor closes the transport after A-RELEASE-RP (AR-3)
        await AssertNothingStoredAsync(server);
    }

    [Fact]
    public async Task A_data_set_kept_in_memory_beyond_its_limit_aborts_the_association()
    {
        await using var server = await TestServer.StartAsync(o => o with { Association = new AssociationOptions { MaxBufferedDataSetLength = 4096 } });
        await using var peer = await WirePeer.AssociateAsync(server.Port);
        var set = new DimseCommand { CommandField = CommandField.NSetRequest, MessageId = 12, RequestedSopClassUid = DicomUids.Verification.Uid, HasDataSet = true };
        await peer.SendAsync(WirePeer.Command(WirePeer.VerificationContext, set));
        await peer.SendAsync(WirePeer.Fragments(WirePeer.VerificationContext, false, new byte[6000], 3000));
        Assert.Equal(AbortReason.InvalidPduParameterValue, (await peer.ExpectAbortAsync())?.Reason);
    }

    [Fact]
    public async Task Find_responses_whose_identifiers_span_several_pdus_reach_the_caller_in_order()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var query = new DicomDataset().AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, "");
        var find = new CFindRequest(QueryRetrieveLevel.Study, query);
        var connecting = DicomClient.ConnectForAsync(new DicomClientOptions { Host = "127.0.0.1", Port = ((IPEndPoint)listener.LocalEndpoint).Port }, [find]);
        await using var scp = await WirePeer.AcceptAsync(listener);
        await using var client = await connecting;
        var receiving = client.SendAsync(find).ToListAsync().AsTask();

        var (context, rq, identifier) = await scp.ReadMessageAsync();
        Assert.Equal(CommandField.CFindRequest, rq.CommandField);
        // The scripted SCP accepted the first syntax our SCU proposes for C-FIND, explicit VR little endian.
        Assert.Equal("STUDY", DicomReader.ReadDataset(identifier, DicomTransferSyntax.ExplicitVRLittleEndian).GetString(DicomTags.QueryRetrieveLevel));
        foreach (var uid in new[] { "1.2.3.1", "1.2.3.2" })
        {
            var pending = new DimseCommand
            {
                CommandField = CommandField.CFindResponse, MessageIdBeingRespondedTo = rq.MessageId, AffectedSopClassUid = rq.AffectedSopClassUid,
                Status = DimseStatus.Pending, HasDataSet = true,
            };
            var match = new DicomDataset().AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, uid).AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Wire^Peer");
            var encoded = DicomWriter.Encode(match, DicomTransferSyntax.ExplicitVRLittleEndian);
            await scp.SendAsync(WirePeer.Command(context, pending));
            // The identifier in 10-byte PDVs, one PDU each: element headers and values are cut anywhere.
            foreach (var pdv in WirePeer.Fragments(context, false, encoded, 10)) await scp.SendAsync(pdv);
        }
        await scp.SendAsync(WirePeer.Command(context, new DimseCommand
        {
            CommandField = CommandField.CFindResponse, MessageIdBeingRespondedTo = rq.MessageId, AffectedSopClassUid = rq.AffectedSopClassUid,
            Status = DimseStatus.Success, HasDataSet = false,
        }));

        var responses = await receiving.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal([DimseStatus.Pending, DimseStatus.Pending, DimseStatus.Success], responses.Select(r => r.Status));
        Assert.Equal(["1.2.3.1", "1.2.3.2"], responses.Take(2).Select(r => r.Identifier!.GetString(DicomTags.StudyInstanceUID)));
        Assert.Equal("Wire^Peer", responses[1].Identifier!.GetString(DicomTags.PatientName));
        Assert.Null(responses[2].Identifier);
        await client.AbortAsync();
    }

    /// <summary>The server saw the association end (the connection is closed) and kept no file, complete or partial.</summary>
    private static async Task AssertNothingStoredAsync(TestServer server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (server.Server.ActiveAssociations > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(0, server.Server.ActiveAssociations);
        Assert.Empty(server.Stored);
        Assert.Empty(Directory.GetFiles(server.Store.RootFolder, "*", SearchOption.AllDirectories));
    }
}
