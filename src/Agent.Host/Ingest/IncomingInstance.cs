namespace Agent.Host.Ingest;

/// <summary>A temporary file receiving one instance; disposing it without a commit deletes it.</summary>
public sealed class IncomingInstance : IAsyncDisposable
{
    private readonly FileStream _stream;
    private bool _committed;

    internal IncomingInstance(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>The file being written: the Part 10 header first, then the dataset as it arrives.</summary>
    public Stream Stream => _stream;

    public bool IsFlushed { get; private set; }

    /// <summary>Flushes buffers and fsyncs the file (durable before anything is acknowledged).</summary>
    public async Task FlushToDiskAsync(CancellationToken cancellationToken)
    {
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync().ConfigureAwait(false);
        IsFlushed = true;
    }

    internal void MarkCommitted() => _committed = true;

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        if (!_committed)
        {
            try { File.Delete(Path); }
            catch (IOException) { /* start-up cleanup removes it */ }
            catch (UnauthorizedAccessException) { /* same */ }
        }
    }
}
