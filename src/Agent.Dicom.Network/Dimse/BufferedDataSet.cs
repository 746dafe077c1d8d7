using Agent.Dicom.IO;

namespace Agent.Dicom.Network.Dimse;

/// <summary>
/// A data set held in memory while it arrives (query identifiers, N-* attribute lists), bounded: past the limit the
/// message is refused as malformed, which aborts the association.
/// </summary>
internal sealed class BufferedDataSet(int limit, CommandField commandField) : IDataSetReceiver
{
    private readonly MemoryStream _bytes = new();

    public long Length => _bytes.Length;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> fragment, CancellationToken cancellationToken)
    {
        if (_bytes.Length + fragment.Length > limit)
            throw new DicomFormatException($"data set of a {commandField} longer than {limit} bytes");
        _bytes.Write(fragment.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>The data set parsed in the presentation context's transfer syntax; null when it is empty.</summary>
    public DicomDataset? Read(string transferSyntaxUid)
        => _bytes.Length == 0 ? null : DicomReader.ReadDataset(_bytes.GetBuffer().AsMemory(0, (int)_bytes.Length), DicomTransferSyntax.Lookup(transferSyntaxUid));

    public ValueTask DisposeAsync()
    {
        _bytes.Dispose();
        return ValueTask.CompletedTask;
    }
}
