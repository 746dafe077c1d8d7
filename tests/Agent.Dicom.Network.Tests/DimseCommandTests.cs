using Agent.Dicom;
using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Tests;

public sealed class DimseCommandTests
{
    [Fact]
    public void A_store_request_round_trips_with_its_group_length_first()
    {
        var cmd = new DimseCommand
        {
            CommandField = CommandField.CStoreRequest, MessageId = 7, AffectedSopClassUid = "1.2.840.10008.5.1.4.1.1.2",
            AffectedSopInstanceUid = "1.2.3.4.5", Priority = DimsePriority.High, HasDataSet = true, MoveOriginatorAeTitle = "MOVER", MoveOriginatorMessageId = 3,
        };
        var bytes = cmd.Encode();
        Assert.Equal(new byte[] { 0, 0, 0, 0, 4, 0, 0, 0 }, bytes[..8]);
        Assert.Equal(bytes.Length - 12, BitConverter.ToInt32(bytes, 8));
        var back = DimseCommand.Decode(bytes);
        Assert.Equal(CommandField.CStoreRequest, back.CommandField);
        Assert.Equal(7, back.MessageId);
        Assert.Equal("1.2.3.4.5", back.AffectedSopInstanceUid);
        Assert.Equal(DimsePriority.High, back.Priority);
        Assert.True(back.HasDataSet);
        Assert.Equal("MOVER", back.MoveOriginatorAeTitle);
        Assert.Equal((ushort)3, back.MoveOriginatorMessageId);
        Assert.Equal(bytes, back.Encode());
    }

    [Fact]
    public void A_failure_response_keeps_its_status_comment_and_offending_elements()
    {
        var cmd = new DimseCommand
        {
            CommandField = CommandField.CStoreResponse, MessageIdBeingRespondedTo = 9, HasDataSet = false,
            Status = DimseStatus.DataSetDoesNotMatchSopClass, ErrorComment = "missing pixel data", OffendingElements = [new DicomTag(0x7FE00010)],
        };
        var back = DimseCommand.Decode(cmd.Encode());
        Assert.Equal(DimseStatusCategory.Failure, back.Status.Category);
        Assert.Equal("missing pixel data", back.ErrorComment);
        Assert.Equal([new DicomTag(0x7FE00010)], back.OffendingElements);
    }

    [Theory]
    [InlineData((ushort)0x0000, DimseStatusCategory.Success)]
    [InlineData((ushort)0xFF00, DimseStatusCategory.Pending)]
    [InlineData((ushort)0xFF01, DimseStatusCategory.Pending)]
    [InlineData((ushort)0xFE00, DimseStatusCategory.Cancel)]
    [InlineData((ushort)0xB000, DimseStatusCategory.Warning)]
    [InlineData((ushort)0x0107, DimseStatusCategory.Warning)]
    [InlineData((ushort)0xA700, DimseStatusCategory.Failure)]
    [InlineData((ushort)0xC123, DimseStatusCategory.Failure)]
    [InlineData((ushort)0x0122, DimseStatusCategory.Failure)]
    public void Status_codes_fall_into_the_categories_of_ps3_7_annex_c(ushort code, DimseStatusCategory category)
        => Assert.Equal(category, new DimseStatus(code).Category);

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 1, 2, 0, 0, 0, 1 })]
    [InlineData(new byte[] { 8, 0, 0, 1, 2, 0, 0, 0, 1, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 1, 0xFF, 0xFF, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 1, 4, 0, 0, 0, 1, 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 2, 0, 0, 0, 0 })]
    public void Malformed_command_sets_are_rejected_with_a_format_exception(byte[] bytes)
        => Assert.Throws<DicomFormatException>(() => DimseCommand.Decode(bytes));
}
