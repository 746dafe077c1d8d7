using System.Buffers;
using Agent.Dicom;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Files;

namespace Agent.Dicom.Network.Services;

/// <summary>An instance written to disk by <see cref="FileStoreProvider"/>.</summary>
public sealed record StoredInstance(StoreRequestInfo Request, string Path, long DataSetLength);

/// <summary>
/// Writes each received instance as a Part 10 file (meta information + the data set exactly as received, so the
/// sender's transfer syntax is preserved) while it arrives: temp file, then rename; with durable writes the file is fsynced before and its directory after the rename. File names are
/// built only from a validated SOP Instance UID (digits and dots) or a GUID, never from other received text.
/// </summary>
public sealed class FileStoreProvider(string rootFolder, bool durable, Func<StoredInstance, CancellationToken, ValueTask>? onStored = null) : IStoreProvider
{
    private readonly string _root = Directory.CreateDirectory(rootFolder).FullName;
    private readonly string _incoming = Directory.CreateDirectory(Path.Combine(rootFolder, ".incoming")).FullName;

    public string RootFolder => _root;

    /// <summary>fsync each file before it is renamed into place, and the folder after, before it is acknowledged.</summary>
    public bool Durable { get; } = durable;

    public ValueTask<IStoreSink> BeginStoreAsync(StoreRequestInfo request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var name = DicomUid.IsValid(request.SopInstanceUid) ? request.SopInstanceUid : Guid.NewGuid().ToString("N");
        var final = Path.Combine(_root, name + ".dcm");
        var temp = Path.Combine(_incoming, Guid.NewGuid().ToString("N") + ".part");
        var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        return ValueTask.FromResult<IStoreSink>(new Sink(this, request, stream, temp, final));
    }

    private sealed class Sink(FileStoreProvider owner, StoreRequestInfo request, FileStream stream, string temp, string final) : IStoreSink
    {
        private const int BufferSize = 512 * 1024;
        private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        private int _used;
        private long _length;
        private bool _headerWritten;
        private bool _completed;

        private void EnsureHeader()
        {
            if (_headerWritten) return;
            _headerWritten = true;
            var header = Part10Header.Encode(request.SopClassUid, request.SopInstanceUid, request.TransferSyntaxUid,
                request.Association.CallingAeTitle, DicomImplementation.ClassUid, DicomImplementation.VersionName);
            header.CopyTo(_buffer!, 0);
            _used = header.Length;
        }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetFragment, CancellationToken cancellationToken)
        {
            EnsureHeader();
            _length += dataSetFragment.Length;
            // Coalesce small PDVs into large writes; write big fragments straight through.
            if (_used + dataSetFragment.Length > BufferSize)
            {
                await FlushBufferAsync(cancellationToken).ConfigureAwait(false);
                if (dataSetFragment.Length >= BufferSize / 2)
                {
                    await stream.WriteAsync(dataSetFragment, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
            dataSetFragment.CopyTo(_buffer.AsMemory(_used));
            _used += dataSetFragment.Length;
        }

        private async ValueTask FlushBufferAsync(CancellationToken cancellationToken)
        {
            if (_used == 0) return;
            await stream.WriteAsync(_buffer.AsMemory(0, _used), cancellationToken).ConfigureAwait(false);
            _used = 0;
        }

        public async ValueTask<StoreResult> CompleteAsync(CancellationToken cancellationToken)
        {
            EnsureHeader();
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
