using Agent.Dicom;
using Agent.Dicom.IO;
using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Tests;

/// <summary>
/// Every DIMSE-N request and response through its wire form (command set in implicit VR LE, data set in the context's
/// syntax) and back: the fields PS3.7 10.1 gives each message, and no others that would confuse a peer.
/// </summary>
public sealed class NMessageTests
{
    private const string SopClass = "1.2.840.10008.3.1.2.3.3";
    private const string Instance = "1.2.826.0.1.3680043.2.1125.1.42";

    private static (DimseCommand Command, DicomDataset? DataSet) OverTheWire(DimseCommand command, DicomDataset? dataSet)
    {
        var bytes = command.Encode();
        var back = DimseCommand.Decode(bytes);
        Assert.Equal(bytes, back.Encode());
        var syntax = DicomTransferSyntax.ImplicitVRLittleEndian;
        return (back, dataSet is null ? null : DicomReader.ReadDataset(DicomWriter.Encode(dataSet, syntax), syntax));
    }

    private static DicomDataset Attributes(string status)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.PerformedProcedureStepStatus, DicomVR.CS, status);
        ds.AddOrUpdate(DicomTags.PerformedSeriesSequence, new DicomDataset().AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.3.4"));
        return ds;
    }

    private static void AssertElements(DimseCommand command, DicomTag[] present, DicomTag[] absent)
    {
        Assert.All(present, t => Assert.True(command.Contains(t), $"{t} missing from {command}"));
        Assert.All(absent, t => Assert.False(command.Contains(t), $"{t} should not be in {command}"));
    }

    [Fact]
    public void N_create_request_carries_the_affected_class_and_instance_and_its_attribute_list()
    {
        var (c, ds) = OverTheWire(new NCreateRequest(SopClass, Instance, Attributes("IN PROGRESS")).BuildCommand(5), Attributes("IN PROGRESS"));
        AssertElements(c, [DicomTags.AffectedSOPClassUID, DicomTags.AffectedSOPInstanceUID, DicomTags.MessageID],
            [DicomTags.RequestedSOPClassUID, DicomTags.Priority, DicomTags.Status]);
        var back = NCreateRequest.Decode(c, ds);
        Assert.Equal((CommandField.NCreateRequest, (ushort)5, true, SopClass, Instance), (c.CommandField, c.MessageId, c.HasDataSet, back.SopClassUid, back.SopInstanceUid));
        Assert.Equal("IN PROGRESS", back.AttributeList!.GetString(DicomTags.PerformedProcedureStepStatus));
        Assert.Equal("1.2.3.4", back.AttributeList.GetFirstItem(DicomTags.PerformedSeriesSequence)!.GetString(DicomTags.SeriesInstanceUID));
    }

    [Fact]
    public void N_create_request_may_leave_the_instance_uid_to_the_scp()
    {
        var (c, _) = OverTheWire(new NCreateRequest(SopClass, null, null).BuildCommand(1), null);
        Assert.False(c.Contains(DicomTags.AffectedSOPInstanceUID));
        Assert.False(c.HasDataSet);
        Assert.Null(NCreateRequest.Decode(c, null).SopInstanceUid);
    }

    [Fact]
    public void N_create_response_returns_the_assigned_instance_and_attributes()
    {
        var rsp = new NCreateResponse { AffectedSopClassUid = SopClass, AffectedSopInstanceUid = Instance, AttributeList = Attributes("IN PROGRESS") };
        var (c, ds) = OverTheWire(rsp.BuildCommand(5), rsp.AttributeList);
        var back = NCreateResponse.Decode(c, ds);
        Assert.Equal((CommandField.NCreateResponse, (ushort)5, DimseStatus.Success, SopClass, Instance),
            (c.CommandField, c.MessageIdBeingRespondedTo, back.Status, back.AffectedSopClassUid, back.AffectedSopInstanceUid));
        Assert.Equal("IN PROGRESS", back.AttributeList!.GetString(DicomTags.PerformedProcedureStepStatus));
    }

    [Fact]
    public void N_set_request_names_the_requested_instance_and_carries_the_modification_list()
    {
        var (c, ds) = OverTheWire(new NSetRequest(SopClass, Instance, Attributes("COMPLETED")).BuildCommand(6), Attributes("COMPLETED"));
        AssertElements(c, [DicomTags.RequestedSOPClassUID, DicomTags.RequestedSOPInstanceUID], [DicomTags.AffectedSOPClassUID, DicomTags.AffectedSOPInstanceUID]);
        var back = NSetRequest.Decode(c, ds);
        Assert.Equal((CommandField.NSetRequest, true, SopClass, Instance), (c.CommandField, c.HasDataSet, back.SopClassUid, back.SopInstanceUid));
        Assert.Equal("COMPLETED", back.ModificationList.GetString(DicomTags.PerformedProcedureStepStatus));
    }

    [Fact]
    public void N_set_failure_response_keeps_status_comment_error_id_and_offending_element()
    {
        var rsp = new NSetResponse
        {
            Status = DimseStatus.ProcessingFailure, ErrorComment = "Performed Procedure Step Object may no longer be updated", ErrorId = 0xA710,
            OffendingElements = [DicomTags.PerformedProcedureStepStatus], AffectedSopClassUid = SopClass, AffectedSopInstanceUid = Instance,
        };
        var (c, _) = OverTheWire(rsp.BuildCommand(6), null);
        var back = NSetResponse.Decode(c, null);
        Assert.Equal((DimseStatus.ProcessingFailure, "Performed Procedure Step Object may no longer be updated", (ushort?)0xA710, Instance),
            (back.Status, back.ErrorComment, back.ErrorId, back.AffectedSopInstanceUid));
        Assert.Equal([DicomTags.PerformedProcedureStepStatus], back.OffendingElements);
        Assert.False(c.HasDataSet);
        Assert.Null(back.AttributeList);
    }

    [Fact]
    public void An_error_comment_longer_than_lo_allows_is_cut_to_64_characters()
    {
        var (c, _) = OverTheWire(new NSetResponse { Status = DimseStatus.ProcessingFailure, ErrorComment = new string('x', 100) }.BuildCommand(1), null);
        Assert.Equal(64, c.ErrorComment!.Length);
    }

    [Fact]
    public void N_get_request_lists_the_attributes_it_wants_and_its_response_returns_them()
    {
        var (c, _) = OverTheWire(new NGetRequest(SopClass, Instance, [DicomTags.PerformedProcedureStepStatus, DicomTags.PerformedSeriesSequence]).BuildCommand(7), null);
        AssertElements(c, [DicomTags.RequestedSOPClassUID, DicomTags.RequestedSOPInstanceUID, DicomTags.AttributeIdentifierList], []);
        var back = NGetRequest.Decode(c);
        Assert.Equal([DicomTags.PerformedProcedureStepStatus, DicomTags.PerformedSeriesSequence], back.AttributeIdentifiers);
        Assert.False(c.HasDataSet);

        var rsp = new NGetResponse { AffectedSopInstanceUid = Instance, AttributeList = Attributes("COMPLETED") };
        var (rc, rds) = OverTheWire(rsp.BuildCommand(7), rsp.AttributeList);
        Assert.Equal("COMPLETED", NGetResponse.Decode(rc, rds).AttributeList!.GetString(DicomTags.PerformedProcedureStepStatus));
    }

    [Fact]
    public void N_get_request_without_a_list_asks_for_every_attribute()
    {
        var (c, _) = OverTheWire(new NGetRequest(SopClass, Instance).BuildCommand(7), null);
        Assert.Empty(NGetRequest.Decode(c).AttributeIdentifiers);
    }

    [Fact]
    public void N_action_request_and_response_carry_the_action_type_and_their_data_sets()
    {
        var info = new DicomDataset().AddOrUpdate(DicomTags.TransactionUID, DicomVR.UI, "1.2.3.9");
        var (c, ds) = OverTheWire(new NActionRequest(DicomUids.StorageCommitmentPushModel.Uid, DicomUids.StorageCommitmentPushModelInstance.Uid, 1, info).BuildCommand(8), info);
        AssertElements(c, [DicomTags.RequestedSOPClassUID, DicomTags.RequestedSOPInstanceUID, DicomTags.ActionTypeID], [DicomTags.EventTypeID]);
        var back = NActionRequest.Decode(c, ds);
        Assert.Equal(((ushort)1, "1.2.3.9", DicomUids.StorageCommitmentPushModelInstance.Uid),
            (back.ActionTypeId, back.ActionInformation!.GetString(DicomTags.TransactionUID), back.SopInstanceUid));

        var rsp = new NActionResponse { ActionTypeId = 1, AffectedSopClassUid = DicomUids.StorageCommitmentPushModel.Uid };
        var (rc, _) = OverTheWire(rsp.BuildCommand(8), null);
        var rback = NActionResponse.Decode(rc, null);
        Assert.Equal(((ushort?)1, DimseStatus.Success, false), (rback.ActionTypeId, rback.Status, rc.HasDataSet));
    }

    [Fact]
    public void N_event_report_request_and_response_carry_the_event_type_and_their_data_sets()
    {
        var info = new DicomDataset().AddOrUpdate(DicomTags.TransactionUID, DicomVR.UI, "1.2.3.9");
        var (c, ds) = OverTheWire(new NEventReportRequest(DicomUids.StorageCommitmentPushModel.Uid, DicomUids.StorageCommitmentPushModelInstance.Uid, 2, info).BuildCommand(9), info);
        AssertElements(c, [DicomTags.AffectedSOPClassUID, DicomTags.AffectedSOPInstanceUID, DicomTags.EventTypeID], [DicomTags.RequestedSOPClassUID, DicomTags.ActionTypeID]);
        var back = NEventReportRequest.Decode(c, ds);
        Assert.Equal(((ushort)2, "1.2.3.9"), (back.EventTypeId, back.EventInformation!.GetString(DicomTags.TransactionUID)));

        var rsp = new NEventReportResponse { EventTypeId = 2, Status = DimseStatus.NoSuchEventType, EventReply = info };
        var (rc, rds) = OverTheWire(rsp.BuildCommand(9), rsp.EventReply);
        var rback = NEventReportResponse.Decode(rc, rds);
        Assert.Equal(((ushort?)2, DimseStatus.NoSuchEventType, "1.2.3.9"), (rback.EventTypeId, rback.Status, rback.EventReply!.GetString(DicomTags.TransactionUID)));
    }

    [Fact]
    public void N_delete_request_and_response_round_trip()
    {
        var (c, _) = OverTheWire(new NDeleteRequest(SopClass, Instance).BuildCommand(10), null);
        AssertElements(c, [DicomTags.RequestedSOPClassUID, DicomTags.RequestedSOPInstanceUID], [DicomTags.AffectedSOPClassUID]);
        Assert.Equal(Instance, NDeleteRequest.Decode(c).SopInstanceUid);
        var (rc, _) = OverTheWire(new NDeleteResponse { Status = DimseStatus.NoSuchSopInstance, AffectedSopInstanceUid = Instance }.BuildCommand(10), null);
        Assert.Equal((CommandField.NDeleteResponse, DimseStatus.NoSuchSopInstance), (rc.CommandField, NDeleteResponse.Decode(rc).Status));
    }

    [Fact]
    public void Requests_that_name_an_existing_instance_refuse_to_be_built_without_one()
    {
        Assert.Throws<ArgumentException>(() => new NSetRequest(SopClass, "", new DicomDataset()));
        Assert.Throws<ArgumentNullException>(() => new NActionRequest(SopClass, null!, 1, null));
        Assert.Throws<ArgumentException>(() => new NCreateRequest("", Instance, null));
    }

    [Theory]
    [InlineData((ushort)0x0107, DimseStatusCategory.Warning)]
    [InlineData((ushort)0x0116, DimseStatusCategory.Warning)]
    [InlineData((ushort)0x0110, DimseStatusCategory.Failure)]
    [InlineData((ushort)0x0112, DimseStatusCategory.Failure)]
    [InlineData((ushort)0x0120, DimseStatusCategory.Failure)]
    [InlineData((ushort)0x0213, DimseStatusCategory.Failure)]
    public void N_service_statuses_fall_into_their_annex_c_categories(ushort code, DimseStatusCategory category)
        => Assert.Equal(category, new DimseStatus(code).Category);
}
