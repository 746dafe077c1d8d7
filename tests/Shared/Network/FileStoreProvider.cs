using System.Buffers;
using Agent.Dicom;
using Agent.Dicom.Network.Services;
using Agent.Storage.Files;

namespace Agent.Tests.Shared;

/// <summary>An instance written to disk by <see cref="FileStoreProvider"/>.</summary>
internal sealed record StoredInstance(StoreRequestInfo Request, string Path, long DataSetLength);

/// <summary>
/// Test and benchmark store provider: writes each received instance as a Part 10 file (meta information + the data set
/// exactly as received, so the sender's transfer syntax is preserved) while it arrives: temp file, then rename; with
/// durable writes the file is fsynced before and its directory after the rename. File names are built only from a
/// valid SOP Instance UID (<see cref="DicomUid.IsValid(string)"/>) or a GUID, never from other received text.
/// The product's store is the host's durable ingest; this one exercises the network layer without a database.
/// </summary>
internal sealed class FileStoreProvider(string rootFolder, bool durable, Func<StoredInstance, CancellationToken, ValueTask>? onStored = null) : IStoreProvider
{
    private readonly string _root = Directory.CreateDirectory(rootFolder).FullName;
    private readonly string _incoming = Directory.CreateDirectory(Path.Combine(rootFolder, ".incoming")).FullName;

    public string RootFolder => _root;

    /// <summary>fsync each file before it is renamed into place, and the folder after, before it is acknowledged.</summary>
    public bool Durable { get; } = durable;

    public async ValueTask<IStoreSink> BeginStoreAsync(StoreRequestInfo request, CancellationToken cancellationToken)
    {
        var name = DicomUid.IsValid(request.SopInstanceUid) ? request.SopInstanceUid : Guid.NewGuid().ToString("N");
        var final = Path.Combine(_root, name + ".dcm");
        var temp = Path.Combine(_incoming, Guid.NewGuid().ToString("N") + ".part");
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        var sink = new Sink(this, request, stream, temp, final);
        try
        {
            await sink.WriteHeaderAsync(cancellationToken).ConfigureAwait(false);
            return sink;
        }
        catch
        {
            await sink.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private sealed class Sink(FileStoreProvider owner, StoreRequestInfo request, FileStream stream, string temp, string final) : IStoreSink
    {
        private const int BufferSize = 512 * 1024;
        private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        private int _used;
        private long _length;
        private bool _completed;

        // The Part 10 header goes into the coalescing buffer, so header and first fragments reach the disk in one write.
        public ValueTask WriteHeaderAsync(CancellationToken cancellationToken)
        {
            var meta = DicomFileMeta.Create(request.SopClassUid, request.SopInstanceUid, request.TransferSyntaxUid, request.Association.CallingAeTitle);
            var header = DicomFileMeta.EncodeHeader(meta);
            return AppendAsync(header, cancellationToken);
        }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetFragment, CancellationToken cancellationToken)
        {
            _length += dataSetFragment.Length;
            return AppendAsync(dataSetFragment, cancellationToken);
        }

        // Coalesce small PDVs into large writes; write big fragments straight through.
        private async ValueTask AppendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
        {
            if (_used + bytes.Length > BufferSize)
            {
                await FlushBufferAsync(cancellationToken).ConfigureAwait(false);
                if (bytes.Length >= BufferSize / 2)
                {
                    await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
            bytes.CopyTo(_buffer.AsMemory(_used));
            _used += bytes.Length;
        }

        private async ValueTask FlushBufferAsync(CancellationToken cancellationToken)
        {
            if (_used == 0) return;
            await stream.WriteAsync(_buffer.AsMemory(0, _used), cancellationToken).ConfigureAwait(false);
            _used = 0;
        }

        public async ValueTask<StoreResult> CompleteAsync(CancellationToken cancellationToken)
        {
            await FlushBufferAsync(cancellationToken).ConfigureAwait(false);
            if (owner.Durable) stream.Flush(flushToDisk: true);
            await stream.DisposeAsync().ConfigureAwait(false);
            File.Move(temp, final, overwrite: true);
            // The rename is a directory entry change: without syncing the directory, a power loss after the
            // success response could leave the file under .incoming (or nowhere) although the sender was told it is safe.
            if (owner.Durable) DirectorySync.Flush(owner._root);
            _completed = true;
            if (owner._onStored is { } callback)
                await callback(new StoredInstance(request, final, _length), cancellationToken).ConfigureAwait(false);
            return StoreResult.Success;
        }

        public async ValueTask DisposeAsync()
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            if (!_completed)
            {
                try { File.Delete(temp); }
                catch (IOException) { }
            }
            if (_buffer is { } b) ArrayPool<byte>.Shared.Return(b);
            _buffer = null;
        }
    }

    private readonly Func<StoredInstance, CancellationToken, ValueTask>? _onStored = onStored;
}
