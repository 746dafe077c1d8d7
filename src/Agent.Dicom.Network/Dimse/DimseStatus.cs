using System.Globalization;

namespace Agent.Dicom.Network.Dimse;

public enum DimseStatusCategory
{
    Success,
    Warning,
    Pending,
    Cancel,
    Failure,
}

/// <summary>A DIMSE status code (0000,0900) with its category per PS3.7 Annex C.</summary>
public readonly record struct DimseStatus(ushort Code)
{
    public static readonly DimseStatus Success = new(0x0000);
    public static readonly DimseStatus Pending = new(0xFF00);
    public static readonly DimseStatus PendingWithWarnings = new(0xFF01);
    public static readonly DimseStatus Cancel = new(0xFE00);

    /// <summary>Warning: sub-operations complete, one or more failures or warnings (C-MOVE/C-GET).</summary>
    public static readonly DimseStatus SubOperationsCompleteWithFailures = new(0xB000);
    public static readonly DimseStatus CoercionOfDataElements = new(0xB000);
    public static readonly DimseStatus ElementsDiscarded = new(0xB006);
    public static readonly DimseStatus DataSetDoesNotMatchSopClassWarning = new(0xB007);

    public static readonly DimseStatus RefusedOutOfResources = new(0xA700);
    public static readonly DimseStatus RefusedOutOfResourcesMatches = new(0xA701);
    public static readonly DimseStatus RefusedOutOfResourcesSubOperations = new(0xA702);
    public static readonly DimseStatus RefusedMoveDestinationUnknown = new(0xA801);
    public static readonly DimseStatus DataSetDoesNotMatchSopClass = new(0xA900);
    public static readonly DimseStatus IdentifierDoesNotMatchSopClass = new(0xA900);
    public static readonly DimseStatus CannotUnderstand = new(0xC000);
    public static readonly DimseStatus UnableToProcess = new(0xC001);
    public static readonly DimseStatus SopClassNotSupported = new(0x0122);
    public static readonly DimseStatus UnrecognizedOperation = new(0x0211);
    public static readonly DimseStatus ProcessingFailure = new(0x0110);
    public static readonly DimseStatus DuplicateInvocation = new(0x0210);
    public static readonly DimseStatus NotAuthorized = new(0x0124);
    public static readonly DimseStatus MistypedArgument = new(0x0212);

    // DIMSE-N statuses (PS3.7 C.4 and C.5: the general codes N-CREATE, N-SET, N-ACTION and N-EVENT-REPORT answer with).
    public static readonly DimseStatus AttributeListError = new(0x0107);
    public static readonly DimseStatus NoSuchAttribute = new(0x0105);
    public static readonly DimseStatus InvalidAttributeValue = new(0x0106);
    public static readonly DimseStatus DuplicateSopInstance = new(0x0111);
    public static readonly DimseStatus NoSuchSopInstance = new(0x0112);
    public static readonly DimseStatus NoSuchEventType = new(0x0113);
    public static readonly DimseStatus NoSuchArgument = new(0x0114);
    public static readonly DimseStatus InvalidArgumentValue = new(0x0115);
    public static readonly DimseStatus InvalidSopInstance = new(0x0117);
    public static readonly DimseStatus NoSuchSopClass = new(0x0118);
    public static readonly DimseStatus ClassInstanceConflict = new(0x0119);
    public static readonly DimseStatus MissingAttribute = new(0x0120);
    public static readonly DimseStatus MissingAttributeValue = new(0x0121);
    public static readonly DimseStatus NoSuchActionType = new(0x0123);
    public static readonly DimseStatus ResourceLimitation = new(0x0213);

    public DimseStatusCategory Category => Code switch
    {
        0x0000 => DimseStatusCategory.Success,
        0xFF00 or 0xFF01 => DimseStatusCategory.Pending,
        0xFE00 => DimseStatusCategory.Cancel,
        0x0001 or 0x0107 or 0x0116 => DimseStatusCategory.Warning,
        >= 0xB000 and <= 0xBFFF => DimseStatusCategory.Warning,
        _ => DimseStatusCategory.Failure,
    };

    public bool IsSuccess => Category == DimseStatusCategory.Success;
    public bool IsPending => Category == DimseStatusCategory.Pending;
    public bool IsFailure => Category == DimseStatusCategory.Failure;

    /// <summary>Final means this is the last response to the request (anything but pending).</summary>
    public bool IsFinal => !IsPending;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"0x{Code:X4} ({Category})");
}
