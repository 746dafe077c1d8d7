using Agent.Dicom.Network.Dimse;
using Agent.Storage.Files;
using System.Diagnostics;
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
public sealed record IngestResult(DimseStatus Status, string? Error, StoredFile? File)
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

    /// <summary>Starts receiving one instance: its dataset bytes go to <see cref="IngestSession.WriteAsync"/>.</summary>
    public async Task<IngestSession> BeginAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        var sop = DicomUid.Normalize(request.SopInstanceUid);
        var sopClass = DicomUid.Normalize(request.SopClassUid);
        var syntax = DicomUid.Normalize(request.TransferSyntaxUid);
        if (sop is null || sopClass is null || syntax is null || !DicomTransferSyntax.TryLookup(syntax, out var transferSyntax))
            return new IngestSession(this, request, null, "malformed SOP Class/Instance or Transfer Syntax UID in the command");

        var incoming = _store.Begin();
        try
        {
            var meta = DicomFileMeta.Create(sopClass, sop, transferSyntax);
            if (DicomOptionsValidator.AeTitleProblem(request.CallingAeTitle) is null)
                meta.AddOrUpdate(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, request.CallingAeTitle.Trim());
            await DicomFileMeta.WriteHeaderAsync(incoming.Stream, meta, cancellationToken).ConfigureAwait(false);
            return new IngestSession(this, request with { SopInstanceUid = sop, SopClassUid = sopClass, TransferSyntaxUid = syntax }, incoming, null);
        }
        catch
        {
            await incoming.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Convenience for callers that have the whole dataset: begin, let <paramref name="writeDataset"/> fill it, complete.</summary>
    public async Task<IngestResult> StoreAsync(IngestRequest request, Func<Stream, CancellationToken, Task> writeDataset, CancellationToken cancellationToken)
    {
        IngestSession session;
        try
        {
            session = await BeginAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return Fail(request.SopInstanceUid, DimseStatus.RefusedOutOfResources, e);
        }
        await using (session.ConfigureAwait(false))
        {
            try
            {
                await writeDataset(session.DatasetStream, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                return Fail(request.SopInstanceUid, DimseStatus.RefusedOutOfResources, e);
            }
            return await session.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task<IngestResult> CompleteAsync(IngestRequest request, IncomingInstance incoming, CancellationToken cancellationToken)
    {
        var sop = request.SopInstanceUid;
        var step = Stopwatch.GetTimestamp();
        try
        {
            await incoming.FlushToDiskAsync(cancellationToken).ConfigureAwait(false);
            IngestMetrics.Record(IngestMetrics.FileSync, step);
        }
        catch (IOException e)
        {
            return Fail(sop, DimseStatus.RefusedOutOfResources, e);
        }

        InstanceHeader parsed;
        step = Stopwatch.GetTimestamp();
        try
        {
            parsed = await _reader.ReadAsync(incoming.Path, incoming.Head, incoming.Length, cancellationToken).ConfigureAwait(false);
            IngestMetrics.Record(IngestMetrics.Parse, step);
        }
        catch (DicomFormatException e)
        {
            return Refuse(sop, DimseStatus.CannotUnderstand, "dataset cannot be parsed: " + e.Message);
        }
        catch (IOException e)
        {
            return Fail(sop, DimseStatus.RefusedOutOfResources, e);
        }

        var keys = InstanceKeys.TryCreate(parsed.StudyInstanceUid, parsed.SeriesInstanceUid, parsed.SopInstanceUid);
        if (keys is null)
            return Refuse(sop, DimseStatus.CannotUnderstand, "Study, Series or SOP Instance UID missing or malformed in the dataset");
        if (keys.SopInstanceUid != sop)
            return Refuse(sop, DimseStatus.CannotUnderstand, $"dataset SOP Instance UID {keys.SopInstanceUid} differs from the command's");

        StoredFile stored;
        step = Stopwatch.GetTimestamp();
        try
        {
            stored = _store.Commit(incoming, keys);
            IngestMetrics.Record(IngestMetrics.Rename, step);
        }
        catch (IOException e)
        {
            return Fail(sop, DimseStatus.RefusedOutOfResources, e);
        }
        if (stored.WasDuplicate) Log.Duplicate(_logger, sop, _duplicatePolicy.ToString());

        step = Stopwatch.GetTimestamp();
        try
        {
            var header = new InstanceHeader
            {
                StudyInstanceUid = keys.StudyInstanceUid,
                SeriesInstanceUid = keys.SeriesInstanceUid,
                SopInstanceUid = keys.SopInstanceUid,
                SopClassUid = parsed.SopClassUid ?? request.SopClassUid,
                TransferSyntaxUid = request.TransferSyntaxUid,
                Attributes = parsed.Attributes,
            };
            await _index.IndexAsync(new IndexedInstance(header, keys, stored, request.AssociationId, _time.GetUtcNow()), cancellationToken)
                .ConfigureAwait(false);
            IngestMetrics.Record(IngestMetrics.Index, step);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not indexed means not acknowledged: take a new file back out so stored == indexed. A duplicate's file
            // was there before (indexed, or indexed by start-up reconciliation), so it stays.
            if (!stored.WasDuplicate) TryRemove(stored.FullPath);
            return Fail(sop, DimseStatus.RefusedOutOfResources, e);
        }
        Log.Stored(_logger, sop, stored.Size, stored.RelativePath);
        return new IngestResult(DimseStatus.Success, null, stored);
    }

    internal IngestResult Refuse(string sopInstanceUid, DimseStatus status, string reason)
    {
        Log.Refused(_logger, sopInstanceUid, status.Code, reason);
        return new IngestResult(status, reason, null);
    }

    internal IngestResult Fail(string sopInstanceUid, DimseStatus status, Exception e)
    {
        Log.StoreFailed(_logger, e, sopInstanceUid, status.Code);
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
