using Agent.Dicom;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Pdu;
using static Agent.Dicom.Network.Tests.NServiceData;

namespace Agent.Dicom.Network.Tests;

/// <summary>
/// What every DIMSE-N request goes through before its service sees it, at the wire level (a scripted peer writes
/// commands our own SCU would never build): the SOP class, the instance UID, a readable data set, a known operation.
/// </summary>
public sealed class NRequestHandlerTests : IAsyncLifetime
{
    private const byte MppsContext = 5;
    private readonly MemoryMppsProvider _provider = new();
    private TestServer _server = null!;
    private WirePeer _peer = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(services: s => s with { Mpps = _provider });
        _peer = await WirePeer.AssociateAsync(_server.Port, more: DicomUids.ModalityPerformedProcedureStep.Uid);
    }

    public async Task DisposeAsync()
    {
        await _peer.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<DimseCommand> SendAsync(DimseCommand command, byte[]? dataSet = null)
    {
        command.HasDataSet = dataSet is not null;
        if (dataSet is null) await _peer.SendAsync(WirePeer.Command(MppsContext, command));
        else await _peer.SendAsync(WirePeer.Command(MppsContext, command), new PresentationDataValue(MppsContext, false, true, dataSet));
        var (_, response, _) = await _peer.ReadMessageAsync();
        // Whatever the refusal, the association goes on.
        await _peer.SendAsync(WirePeer.Command(WirePeer.VerificationContext, new DimseCommand
        {
            CommandField = CommandField.CEchoRequest, MessageId = 99, AffectedSopClassUid = DicomUids.Verification.Uid, HasDataSet = false,
        }));
        Assert.Equal(DimseStatus.Success, (await _peer.ReadMessageAsync()).Command.Status);
        return response;
    }

    private static byte[] Encoded(DicomDataset ds) => Agent.Dicom.IO.DicomWriter.Encode(ds, DicomTransferSyntax.ImplicitVRLittleEndian);

    [Fact]
    public async Task A_request_for_another_sop_class_than_its_contexts_is_refused_0118()
    {
        var rsp = await SendAsync(new DimseCommand
        {
            CommandField = CommandField.NCreateRequest, MessageId = 1, AffectedSopClassUid = DicomUids.InstanceAvailabilityNotification.Uid, AffectedSopInstanceUid = Uid(),
        }, Encoded(MppsCreate(Uid())));
        Assert.Equal((CommandField.NCreateResponse, (ushort)1, DimseStatus.NoSuchSopClass), (rsp.CommandField, rsp.MessageIdBeingRespondedTo, rsp.Status));
        Assert.Empty(_provider.Created);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("1.2.03.4")]
    [InlineData("../../etc")]
    public async Task An_n_set_without_a_valid_requested_instance_uid_is_refused_0117(string? uid)
    {
        var rsp = await SendAsync(new DimseCommand
        {
            CommandField = CommandField.NSetRequest, MessageId = 2, RequestedSopClassUid = DicomUids.ModalityPerformedProcedureStep.Uid, RequestedSopInstanceUid = uid,
        }, Encoded(MppsFinal("COMPLETED", PerformedSeries(Uid()))));
        Assert.Equal((CommandField.NSetResponse, DimseStatus.InvalidSopInstance), (rsp.CommandField, rsp.Status));
    }

    [Fact]
    public async Task An_n_create_whose_data_set_cannot_be_read_is_refused_0110()
    {
        // (0008,0005) claiming 4 GB in an 8-byte data set.
        var rsp = await SendAsync(new DimseCommand
        {
            CommandField = CommandField.NCreateRequest, MessageId = 3, AffectedSopClassUid = DicomUids.ModalityPerformedProcedureStep.Uid, AffectedSopInstanceUid = Uid(),
        }, [0x08, 0x00, 0x05, 0x00, 0x00, 0xFF, 0xFF, 0xFF]);
        Assert.Equal(DimseStatus.ProcessingFailure, rsp.Status);
        Assert.StartsWith("data set cannot be read", rsp.ErrorComment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operation_the_mpps_scp_does_not_offer_is_answered_0211()
    {
        var rsp = await SendAsync(new DimseCommand
        {
            CommandField = CommandField.NGetRequest, MessageId = 4, RequestedSopClassUid = DicomUids.ModalityPerformedProcedureStep.Uid, RequestedSopInstanceUid = Uid(),
        });
        Assert.Equal((CommandField.NGetResponse, DimseStatus.UnrecognizedOperation), (rsp.CommandField, rsp.Status));
    }
}
