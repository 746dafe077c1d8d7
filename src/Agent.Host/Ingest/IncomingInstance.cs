namespace Agent.Host.Ingest;

/// <summary>A temporary file receiving one instance; disposing it without a commit deletes it.</summary>
public sealed class IncomingInstance : IAsyncDisposable
{
    private readonly FileStream _stream;
    private readonly HashingWriteStream _hashing;
    private bool _committed;

    internal IncomingInstance(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
        _hashing = new HashingWriteStream(stream);
    }

    public string Path { get; }

    /// <summary>The file being written: the Part 10 header first, then the dataset as it arrives.</summary>
    public Stream Stream => _hashing;

    public bool IsFlushed { get; private set; }

    /// <summary>SHA-256 (lower-case hex) of everything written; available after <see cref="FlushToDiskAsync"/>.</summary>
    public string? Sha256 { get; private set; }

    /// <summary>A copy of the first bytes written (Part 10 header first), for parsing without reading the file back.</summary>
    public ReadOnlyMemory<byte> Head => _hashing.Head;

    /// <summary>Bytes written (Part 10 header included).</summary>
    public long Length => _hashing.Length;

    /// <summary>Flushes buffers and fsyncs the file (durable before anything is acknowledged).</summary>
    public async Task FlushToDiskAsync(CancellationToken cancellationToken)
    {
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync().ConfigureAwait(false);
        Sha256 = _hashing.HashHex();
        IsFlushed = true;
    }

    internal void MarkCommitted() => _committed = true;

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        await _hashing.DisposeAsync().ConfigureAwait(false);
        if (!_committed)
        {
            try { File.Delete(Path); }
            catch (IOException) { /* start-up cleanup removes it */ }
            catch (UnauthorizedAccessException) { /* same */ }
        }
    }
}
