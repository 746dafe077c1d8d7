namespace Agent.Dicom.Network.Dimse;

/// <summary>A DIMSE request an SCU sends; one subclass per service (C-ECHO, C-STORE, C-FIND, C-MOVE, C-GET).</summary>
public abstract class DicomRequest
{
    public abstract CommandField CommandField { get; }

    /// <summary>The SOP class (abstract syntax) whose presentation context carries this request.</summary>
    public abstract string SopClassUid { get; }

    public DimsePriority Priority { get; init; } = DimsePriority.Medium;

    /// <summary>Builds the command set for the given message id.</summary>
    internal abstract DimseCommand BuildCommand(ushort messageId);

    /// <summary>True for C-FIND/C-MOVE/C-GET whose pending responses can be cancelled with C-CANCEL.</summary>
    internal virtual bool IsCancellable => false;
}
