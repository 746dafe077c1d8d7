using Agent.Dicom;
using Agent.Host.Configuration;
using Agent.Host.Logging;
using Microsoft.Extensions.Logging;

namespace Agent.Host.Ingest;

/// <summary>What the SCP knows about an arriving C-STORE before its dataset bytes are read.</summary>
public sealed record IngestRequest(
    string SopClassUid,
    string SopInstanceUid,
    string TransferSyntaxUid,
    string CallingAeTitle,
    long? AssociationId);

/// <summary>The status to answer with, and where the instance went when it was stored.</summary>
public sealed record IngestResult(ushort Status, string? Error, StoredFile? File)
{
    public bool Succeeded => Status == DimseStatus.Success;
}

/// <summary>
/// Durable ingest of one C-STORE: write (Part 10 header + the dataset as it arrives) to a temporary file, fsync, read
/// the header back, validate its UIDs, rename into the instance store, index in the database, and only then report
/// success. Any failure before that point answers 0xA700 (store/database cannot take it) or 0xC000 (the data cannot be
/// understood), never success; nothing half-written stays visible.
/// </summary>
public sealed class IngestPipeline
{
    private readonly InstanceStore _store;
    private readonly IInstanceHeaderReader _reader;
    private readonly IInstanceIndex _index;
    private readonly DuplicatePolicy _duplicatePolicy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public IngestPipeline(InstanceStore store, IInstanceHeaderReader reader, IInstanceIndex index, DuplicatePolicy duplicatePolicy,
        TimeProvider time, ILogger<IngestPipeline> logger)
    {
        _store = store;
        _reader = reader;
        _index = index;
        _duplicatePolicy = duplicatePolicy;
        _time = time;
        _logger = logger;
    }

    /// <param name="writeDataset">Copies the dataset bytes (in <see cref="IngestRequest.TransferSyntaxUid"/>) into the stream.</param>
    public async Task<IngestResult> StoreAsync(IngestRequest request, Func<Stream, CancellationToken, Task> writeDataset, CancellationToken cancellationToken)
    {
        var commandSop = DicomUid.Normalize(request.SopInstanceUid);
        var sopClass = DicomUid.Normalize(request.SopClassUid);
        var syntax = DicomUid.Normalize(request.TransferSyntaxUid);
        if (commandSop is null || sopClass is null || syntax is null || !DicomTransferSyntax.TryLookup(syntax, out _))
        {
            await writeDataset(Stream.Null, cancellationToken).ConfigureAwait(false); // drain: the association goes on
            return Refuse(request.SopInstanceUid, DimseStatus.CannotUnderstand, "malformed SOP Class/Instance or Transfer Syntax UID in the command");
        }

        await using var incoming = _store.Begin();
        try
        {
            var meta = DicomFileMeta.Create(sopClass, commandSop, DicomTransferSyntax.Lookup(syntax));
            if (DicomOptionsValidator.AeTitleProblem(request.CallingAeTitle) is null)
                meta.AddOrUpdate(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, request.CallingAeTitle.Trim());
            await DicomFileMeta.WriteHeaderAsync(incoming.Stream, meta, cancellationToken).ConfigureAwait(false);
            await writeDataset(incoming.Stream, cancellationToken).ConfigureAwait(false);
            await incoming.FlushToDiskAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return Fail(commandSop, DimseStatus.OutOfResources, e);
        }

        InstanceHeader parsed;
        try
        {
            parsed = await _reader.ReadAsync(incoming.Path, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomFormatException e)
        {
            return Refuse(commandSop, DimseStatus.CannotUnderstand, "dataset cannot be parsed: " + e.Message);
        }
        catch (IOException e)
        {
            return Fail(commandSop, DimseStatus.OutOfResources, e);
        }

        var keys = InstanceKeys.TryCreate(parsed.StudyInstanceUid, parsed.SeriesInstanceUid, parsed.SopInstanceUid);
        if (keys is null)
            return Refuse(commandSop, DimseStatus.CannotUnderstand, "Study, Series or SOP Instance UID missing or malformed in the dataset");
        if (keys.SopInstanceUid != commandSop)
            return Refuse(commandSop, DimseStatus.CannotUnderstand, $"dataset SOP Instance UID {keys.SopInstanceUid} differs from the command's");

        StoredFile stored;
        try
        {
            stored = _store.Commit(incoming, keys);
        }
        catch (IOException e)
        {
            return Fail(commandSop, DimseStatus.OutOfResources, e);
        }
        if (stored.WasDuplicate) Log.Duplicate(_logger, commandSop, _duplicatePolicy.ToString());

        try
        {
            var header = new InstanceHeader
            {
                StudyInstanceUid = keys.StudyInstanceUid,
                SeriesInstanceUid = keys.SeriesInstanceUid,
                SopInstanceUid = keys.SopInstanceUid,
                SopClassUid = parsed.SopClassUid ?? sopClass,
                TransferSyntaxUid = syntax,
                Attributes = parsed.Attributes,
            };
            await _index.IndexAsync(new IndexedInstance(header, keys, stored, request.AssociationId, _time.GetUtcNow()), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not indexed means not acknowledged: take a new file back out so stored == indexed. A duplicate's file
            // was there before (and is indexed or will be by start-up reconciliation), so it stays.
            if (!stored.WasDuplicate) TryRemove(stored.FullPath);
            return Fail(commandSop, DimseStatus.OutOfResources, e);
        }
        Log.Stored(_logger, commandSop, stored.Size, stored.RelativePath);
        return new IngestResult(DimseStatus.Success, null, stored);
    }

    private IngestResult Refuse(string sopInstanceUid, ushort status, string reason)
    {
        Log.Refused(_logger, sopInstanceUid, status, reason);
        return new IngestResult(status, reason, null);
    }

    private IngestResult Fail(string sopInstanceUid, ushort status, Exception e)
    {
        Log.StoreFailed(_logger, e, sopInstanceUid, status);
        return new IngestResult(status, e.Message, null);
    }

    private static void TryRemove(string path)
    {
        try
        {
            File.Delete(path);
            DirectorySync.Flush(Path.GetDirectoryName(path)!);
        }
        catch (IOException)
        {
            // Start-up reconciliation indexes whatever is on disk.
        }
    }
}
