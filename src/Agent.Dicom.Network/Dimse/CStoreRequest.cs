using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>
/// A C-STORE of one instance. The data set is streamed from its source in the PDU size the peer allows; it is sent in
/// the transfer syntax it is stored in (no transcoding), so that syntax must be accepted for the SOP class.
/// </summary>
public sealed class CStoreRequest : DicomRequest
{
    private readonly Func<(Stream Stream, long Length)> _open;

    private CStoreRequest(string sopClass, string sopInstance, string transferSyntax, Func<(Stream, long)> open)
    {
        StoreSopClassUid = sopClass;
        SopInstanceUid = sopInstance;
        TransferSyntaxUid = transferSyntax;
        _open = open;
    }

    public override CommandField CommandField => CommandField.CStoreRequest;
    public override string SopClassUid => StoreSopClassUid;
    public string StoreSopClassUid { get; }
    public string SopInstanceUid { get; }
    public string TransferSyntaxUid { get; }
    public string? SourcePath { get; private init; }
    public string? MoveOriginatorAeTitle { get; init; }
    public ushort? MoveOriginatorMessageId { get; init; }

    /// <summary>A Part 10 file: its meta information supplies the UIDs and transfer syntax; the data set is read lazily.</summary>
    /// <exception cref="DicomFormatException">The file has no meta information naming its SOP class, instance and transfer syntax.</exception>
    public static CStoreRequest FromFile(string path)
    {
        var header = DicomFileMeta.ReadHeader(path);
        if (header.SopClassUid is not { Length: > 0 } sopClass || header.SopInstanceUid is not { Length: > 0 } sopInstance
            || header.TransferSyntaxUid is not { Length: > 0 } syntax)
            throw new DicomFormatException($"{path}: file meta information lacks (0002,0002), (0002,0003) or (0002,0010)");
        var offset = header.DataSetOffset;
        return new CStoreRequest(sopClass, sopInstance, syntax, () =>
        {
            var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            fs.Position = offset;
            return (fs, fs.Length - offset);
        })
        { SourcePath = path };
    }

    /// <summary>A data set already encoded in <paramref name="transferSyntaxUid"/> (without meta information).</summary>
    public static CStoreRequest FromDataSetBytes(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, ReadOnlyMemory<byte> dataSet)
        => new(sopClassUid, sopInstanceUid, transferSyntaxUid, () => (new ReadOnlyMemoryStream(dataSet), dataSet.Length));

    /// <summary>Opens the data set to send (a file open is synchronous; reading it is not).</summary>
    internal (Stream Stream, long Length) OpenDataSet() => _open();

    internal override DimseCommand BuildCommand(ushort messageId) => new()
    {
        CommandField = CommandField.CStoreRequest, MessageId = messageId, AffectedSopClassUid = StoreSopClassUid,
        AffectedSopInstanceUid = SopInstanceUid, Priority = Priority, HasDataSet = true,
        MoveOriginatorAeTitle = MoveOriginatorAeTitle, MoveOriginatorMessageId = MoveOriginatorMessageId,
    };

    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> data) : Stream
    {
        private int _pos;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _pos; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, data.Length - _pos);
            data.Span.Slice(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
