using Agent.Dicom;
using Agent.Dicom.Network.Files;

namespace Agent.Dicom.Network.Dimse;

/// <summary>
/// A C-STORE of one instance. The data set is streamed from its source in the PDU size the peer allows; it is sent in
/// the transfer syntax it is stored in (no transcoding), so that syntax must be accepted for the SOP class.
/// </summary>
public sealed class CStoreRequest : DicomRequest
{
    private readonly Func<CancellationToken, ValueTask<(Stream Stream, long Length)>> _open;

    private CStoreRequest(string sopClass, string sopInstance, string transferSyntax, Func<CancellationToken, ValueTask<(Stream, long)>> open)
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
    public static CStoreRequest FromFile(string path)
    {
        var meta = Part10Header.Read(path);
        return new CStoreRequest(meta.SopClassUid, meta.SopInstanceUid, meta.TransferSyntaxUid, ct =>
        {
            var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            fs.Position = meta.DataSetOffset;
            return ValueTask.FromResult<(Stream, long)>((fs, fs.Length - meta.DataSetOffset));
        })
        { SourcePath = path };
    }

    /// <summary>A data set already encoded in <paramref name="transferSyntaxUid"/> (without meta information).</summary>
    public static CStoreRequest FromDataSetBytes(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, ReadOnlyMemory<byte> dataSet)
        => new(sopClassUid, sopInstanceUid, transferSyntaxUid, _ => ValueTask.FromResult<(Stream, long)>((new ReadOnlyMemoryStream(dataSet), dataSet.Length)));

    internal ValueTask<(Stream Stream, long Length)> OpenDataSetAsync(CancellationToken cancellationToken) => _open(cancellationToken);

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
