namespace Agent.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE request an SCU sends; one subclass per message (C-ECHO, C-STORE, C-FIND, C-MOVE, C-GET, and the DIMSE-N
/// requests N-CREATE, N-SET, N-GET, N-ACTION, N-EVENT-REPORT, N-DELETE).
/// </summary>
public abstract class DicomRequest
{
    public abstract CommandField CommandField { get; }

    /// <summary>The SOP class (abstract syntax) whose presentation context carries this request.</summary>
    public abstract string SopClassUid { get; }

    public DimsePriority Priority { get; init; } = DimsePriority.Medium;

    /// <summary>Builds the command set for the given message id.</summary>
    internal abstract DimseCommand BuildCommand(ushort messageId);

    /// <summary>The data set sent after the command, encoded in the context's transfer syntax (C-STORE streams its own instead).</summary>
    internal virtual DicomDataset? DataSet => null;

    /// <summary>True for C-FIND/C-MOVE/C-GET whose pending responses can be cancelled with C-CANCEL.</summary>
    internal virtual bool IsCancellable => false;
}
