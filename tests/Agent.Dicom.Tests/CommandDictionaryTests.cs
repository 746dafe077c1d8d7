namespace Agent.Dicom.Tests;

/// <summary>
/// The DIMSE command elements (PS3.7 Table E.1-1) are part of the generated dictionary, which the network layer's
/// command codec uses for tags and value representations: this pins every row of that table.
/// </summary>
public sealed class CommandDictionaryTests
{
    public static TheoryData<uint, string, string> CommandElements => new()
    {
        { 0x00000000, "CommandGroupLength", "UL" },
        { 0x00000002, "AffectedSOPClassUID", "UI" },
        { 0x00000003, "RequestedSOPClassUID", "UI" },
        { 0x00000100, "CommandField", "US" },
        { 0x00000110, "MessageID", "US" },
        { 0x00000120, "MessageIDBeingRespondedTo", "US" },
        { 0x00000600, "MoveDestination", "AE" },
        { 0x00000700, "Priority", "US" },
        { 0x00000800, "CommandDataSetType", "US" },
        { 0x00000900, "Status", "US" },
        { 0x00000901, "OffendingElement", "AT" },
        { 0x00000902, "ErrorComment", "LO" },
        { 0x00000903, "ErrorID", "US" },
        { 0x00001000, "AffectedSOPInstanceUID", "UI" },
        { 0x00001001, "RequestedSOPInstanceUID", "UI" },
        { 0x00001002, "EventTypeID", "US" },
        { 0x00001005, "AttributeIdentifierList", "AT" },
        { 0x00001008, "ActionTypeID", "US" },
        { 0x00001020, "NumberOfRemainingSuboperations", "US" },
        { 0x00001021, "NumberOfCompletedSuboperations", "US" },
        { 0x00001022, "NumberOfFailedSuboperations", "US" },
        { 0x00001023, "NumberOfWarningSuboperations", "US" },
        { 0x00001030, "MoveOriginatorApplicationEntityTitle", "AE" },
        { 0x00001031, "MoveOriginatorMessageID", "US" },
    };

    [Theory]
    [MemberData(nameof(CommandElements))]
    public void Every_command_element_of_PS3_7_E_1_1_is_in_the_dictionary_with_its_keyword_and_VR(uint tag, string keyword, string vr)
    {
        Assert.True(DicomDictionary.TryLookup(new DicomTag(tag), out var entry), $"{new DicomTag(tag)} missing");
        Assert.Equal(keyword, entry.Keyword);
        Assert.Equal(vr, entry.VR.Code);
        Assert.False(entry.IsRetired);
        Assert.True(DicomDictionary.TryParseTag(keyword, out var parsed));
        Assert.Equal(tag, parsed.Value);
    }
}
