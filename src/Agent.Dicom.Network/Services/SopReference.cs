namespace Agent.Dicom.Network.Services;

/// <summary>One composite instance as normalized services refer to it: Referenced SOP Class UID and Referenced SOP Instance UID.</summary>
public readonly record struct SopReference(string SopClassUid, string SopInstanceUid);
