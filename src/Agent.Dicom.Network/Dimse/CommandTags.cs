namespace Agent.Dicom.Network.Dimse;

/// <summary>Command group elements (group 0000) of PS3.7 Annex E.</summary>
internal static class CommandTags
{
    public const uint CommandGroupLength = 0x00000000;
    public const uint AffectedSopClassUid = 0x00000002;
    public const uint RequestedSopClassUid = 0x00000003;
    public const uint CommandField = 0x00000100;
    public const uint MessageId = 0x00000110;
    public const uint MessageIdBeingRespondedTo = 0x00000120;
    public const uint MoveDestination = 0x00000600;
    public const uint Priority = 0x00000700;
    public const uint CommandDataSetType = 0x00000800;
    public const uint Status = 0x00000900;
    public const uint OffendingElement = 0x00000901;
    public const uint ErrorComment = 0x00000902;
    public const uint ErrorId = 0x00000903;
    public const uint AffectedSopInstanceUid = 0x00001000;
    public const uint RequestedSopInstanceUid = 0x00001001;
    public const uint EventTypeId = 0x00001002;
    public const uint AttributeIdentifierList = 0x00001005;
    public const uint ActionTypeId = 0x00001008;
    public const uint NumberOfRemainingSuboperations = 0x00001020;
    public const uint NumberOfCompletedSuboperations = 0x00001021;
    public const uint NumberOfFailedSuboperations = 0x00001022;
    public const uint NumberOfWarningSuboperations = 0x00001023;
    public const uint MoveOriginatorAeTitle = 0x00001030;
    public const uint MoveOriginatorMessageId = 0x00001031;

    /// <summary>How each element's value is encoded; commands are always implicit VR little endian.</summary>
    public static CommandValueKind KindOf(uint tag) => tag switch
    {
        CommandGroupLength => CommandValueKind.UInt32,
        AffectedSopClassUid or RequestedSopClassUid or AffectedSopInstanceUid or RequestedSopInstanceUid => CommandValueKind.Uid,
        MoveDestination or MoveOriginatorAeTitle or ErrorComment => CommandValueKind.Text,
        CommandField or MessageId or MessageIdBeingRespondedTo or Priority or CommandDataSetType or Status or ErrorId
            or EventTypeId or ActionTypeId or NumberOfRemainingSuboperations or NumberOfCompletedSuboperations
            or NumberOfFailedSuboperations or NumberOfWarningSuboperations or MoveOriginatorMessageId => CommandValueKind.UInt16,
        _ => CommandValueKind.Bytes,
    };
}

internal enum CommandValueKind
{
    UInt16,
    UInt32,
    Uid,
    Text,
    Bytes,
}
