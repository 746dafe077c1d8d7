namespace Agent.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE-N request (PS3.7 10.1): one operation on one instance of a normalized SOP class, answered by exactly one
/// response, read as <typeparamref name="TResponse"/>. The SOP class is also the presentation context's abstract syntax.
/// </summary>
public abstract class NRequest<TResponse> : DicomRequest where TResponse : NResponse
{
    /// <param name="sopClassUid">Affected SOP Class UID (N-CREATE, N-EVENT-REPORT) or Requested SOP Class UID (the others).</param>
    /// <param name="sopInstanceUid">The instance; only N-CREATE may leave it to the SCP.</param>
    protected NRequest(string sopClassUid, string? sopInstanceUid, bool instanceRequired = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(sopClassUid);
        if (instanceRequired) ArgumentException.ThrowIfNullOrEmpty(sopInstanceUid);
        SopClassUid = sopClassUid;
        SopInstanceUid = sopInstanceUid;
    }

    public override string SopClassUid { get; }

    /// <summary>Affected SOP Instance UID (N-CREATE, N-EVENT-REPORT) or Requested SOP Instance UID (the others).</summary>
    public string? SopInstanceUid { get; }

    /// <summary>The typed form of the response to this request.</summary>
    internal abstract TResponse ReadResponse(DicomResponse response);
}
