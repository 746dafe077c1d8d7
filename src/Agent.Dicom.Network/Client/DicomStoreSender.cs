using Agent.Dicom;
using Agent.Dicom.Network.Dimse;
using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network.Client;

/// <summary>The outcome of sending one file.</summary>
public sealed record StoreFileResult(string Path, string? SopInstanceUid, DimseStatus? Status, string? Error)
{
    public bool Succeeded => Status is { } s && (s.IsSuccess || s.Category == DimseStatusCategory.Warning);
}

/// <summary>Progress of a multi-file send: files done so far out of the total.</summary>
public readonly record struct StoreProgress(int Done, int Total, StoreFileResult Last);

/// <summary>
/// Sends files or folders (recursively) by C-STORE, for the CLI's "send" and for exporting results. Files that are not
/// Part 10 DICOM are reported, not fatal; instances are grouped so each association needs at most 128 contexts.
/// </summary>
public static class DicomStoreSender
{
    public static IReadOnlyList<string> ExpandPaths(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p)) files.AddRange(Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            else files.Add(p);
        }
        return files;
    }

    public static async Task<IReadOnlyList<StoreFileResult>> SendAsync(DicomClientOptions options, IEnumerable<string> paths,
        IProgress<StoreProgress>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        var files = ExpandPaths(paths);
        var results = new List<StoreFileResult>(files.Count);
        var requests = new List<CStoreRequest>();
        foreach (var f in files)
        {
            try
            {
                requests.Add(CStoreRequest.FromFile(f));
            }
            catch (Exception ex) when (ex is DicomFormatException or IOException or UnauthorizedAccessException)
            {
                Report(new StoreFileResult(f, null, null, ex.Message));
            }
        }
        foreach (var batch in StoreBatches.ByPresentationContexts(requests, r => r))
            await SendBatchAsync(batch).ConfigureAwait(false);
        return results;

        void Report(StoreFileResult r)
        {
            results.Add(r);
            progress?.Report(new StoreProgress(results.Count, files.Count, r));
        }

        async Task SendBatchAsync(List<CStoreRequest> list)
        {
            var client = await DicomClient.ConnectForAsync(options, list, logger: logger, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                foreach (var rq in list)
                {
                    if (client.FindContext(rq) is null)
                    {
                        Report(new StoreFileResult(rq.SourcePath!, rq.SopInstanceUid, null, $"peer refused {rq.StoreSopClassUid} in {rq.TransferSyntaxUid}"));
                        continue;
                    }
                    try
                    {
                        var rsp = await client.SendForFinalAsync(rq, cancellationToken).ConfigureAwait(false);
                        Report(new StoreFileResult(rq.SourcePath!, rq.SopInstanceUid, rsp.Status, rsp.ErrorComment));
                    }
                    catch (IOException ex)
                    {
                        Report(new StoreFileResult(rq.SourcePath!, rq.SopInstanceUid, null, ex.Message));
                    }
                }
                await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
