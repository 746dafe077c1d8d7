using System.Globalization;
using Agent.Dicom;
using Agent.Dicom.Network;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;

namespace Agent.Host.Reanalysis;

/// <summary>A series a re-analysis C-FIND found.</summary>
public sealed record FoundSeries(string StudyInstanceUid, string SeriesInstanceUid, string? Modality, string? SeriesDescription, int? Instances);

/// <summary>How one series' C-MOVE ended: the final status and sub-operation counts, or why it did not.</summary>
public sealed record MoveOutcome(bool Succeeded, int Completed, int Failed, int Warning, string Detail);

/// <summary>C-FIND and C-MOVE against one configured source (study root), with the source's timeouts.</summary>
public sealed class PacsSource(string name, ReanalysisSourceOptions options, string callingAeTitle)
{
    public string Name => name;

    private DicomClientOptions Client => new()
    {
        Host = options.Host.Trim(),
        Port = options.Port,
        CalledAeTitle = options.AeTitle.Trim(),
        CallingAeTitle = options.CallingAeTitle.Length > 0 ? options.CallingAeTitle.Trim() : callingAeTitle,
        ConnectTimeout = TimeSpan.FromSeconds(options.ConnectTimeoutSeconds),
    };

    private string Peer => $"{options.AeTitle}@{options.Host}:{options.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Matching series: a STUDY-level C-FIND with the study keys, then a SERIES-level one per study. Throws
    /// <see cref="ReanalysisSourceException"/> when the source cannot be asked or refuses.
    /// </summary>
    public async Task<IReadOnlyList<FoundSeries>> FindSeriesAsync(ReanalysisQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.QueryTimeoutSeconds));
        try
        {
            var studies = new List<string>();
            var probe = new CFindRequest(QueryRetrieveLevel.Study, query.StudyIdentifier());
            var client = await DicomClient.ConnectForAsync(Client, [probe], cancellationToken: timeout.Token).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                foreach (var match in await FindAsync(client, probe, timeout.Token).ConfigureAwait(false))
                {
                    if (match.GetString(DicomTags.StudyInstanceUID)?.Trim() is { Length: > 0 } uid && !studies.Contains(uid)) studies.Add(uid);
                }
                var found = new List<FoundSeries>();
                foreach (var study in studies)
                {
                    var request = new CFindRequest(QueryRetrieveLevel.Series, query.SeriesIdentifier(study));
                    foreach (var match in await FindAsync(client, request, timeout.Token).ConfigureAwait(false))
                    {
                        if (match.GetString(DicomTags.SeriesInstanceUID)?.Trim() is not { Length: > 0 } series) continue;
                        if (found.Any(f => f.SeriesInstanceUid == series)) continue;
                        found.Add(new FoundSeries(study, series, Text(match, DicomTags.Modality), Text(match, DicomTags.SeriesDescription),
                            int.TryParse(Text(match, DicomTags.NumberOfSeriesRelatedInstances), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null));
                    }
                }
                await client.ReleaseAsync(timeout.Token).ConfigureAwait(false);
                return found;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ReanalysisSourceException($"C-FIND to {Peer}: no complete answer within {options.QueryTimeoutSeconds} s (QueryTimeoutSeconds)");
        }
        catch (Exception e) when (e is DicomNetworkException or IOException or System.Net.Sockets.SocketException)
        {
            throw new ReanalysisSourceException($"C-FIND to {Peer}: {e.Message}", e);
        }
    }

    private async Task<List<DicomDataset>> FindAsync(DicomClient client, CFindRequest request, CancellationToken cancellationToken)
    {
        var matches = new List<DicomDataset>();
        await foreach (var rsp in client.SendAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (rsp.Status.IsPending)
            {
                if (rsp.Identifier is { } match) matches.Add(match);
            }
            else if (!rsp.Status.IsSuccess)
            {
                throw new ReanalysisSourceException($"C-FIND to {Peer} at {request.Level} level answered {rsp.Status}{(rsp.ErrorComment is { } c ? ": " + c : "")}");
            }
        }
        return matches;
    }

    /// <summary>Asks the source to send one series to <paramref name="destinationAeTitle"/> (our SCP) and waits for the final answer.</summary>
    public async Task<MoveOutcome> MoveSeriesAsync(string studyInstanceUid, string seriesInstanceUid, string destinationAeTitle, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, [studyInstanceUid]);
        identifier.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, [seriesInstanceUid]);
        var request = new CMoveRequest(destinationAeTitle, QueryRetrieveLevel.Series, identifier);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var client = await DicomClient.ConnectForAsync(Client, [request], cancellationToken: limit.Token).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                DicomResponse? last = null;
                await foreach (var rsp in client.SendAsync(request, limit.Token).ConfigureAwait(false)) last = rsp;
                await client.ReleaseAsync(limit.Token).ConfigureAwait(false);
                if (last is null) return new MoveOutcome(false, 0, 0, 0, $"C-MOVE to {Peer}: no final response");
                var completed = last.Completed ?? 0;
                var failed = last.Failed ?? 0;
                var warning = last.Warning ?? 0;
                var detail = string.Create(CultureInfo.InvariantCulture,
                    $"C-MOVE {last.Status}: {completed} completed, {failed} failed, {warning} warning(s){(last.ErrorComment is { } c ? "; " + c : "")}");
                // "Sub-operations complete with failures" (0xB000) still leaves part of the series unretrieved.
                var ok = (last.Status.IsSuccess || last.Status.Category == DimseStatusCategory.Warning) && failed == 0 && completed + warning > 0;
                return new MoveOutcome(ok, completed, failed, warning, detail);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new MoveOutcome(false, 0, 0, 0, $"C-MOVE to {Peer}: no final answer within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (RetrieveTimeoutSeconds)");
        }
        catch (Exception e) when (e is DicomNetworkException or IOException or System.Net.Sockets.SocketException)
        {
            return new MoveOutcome(false, 0, 0, 0, $"C-MOVE to {Peer}: {e.Message}");
        }
    }

    private static string? Text(DicomDataset match, DicomTag tag) => match.GetString(tag)?.Trim() is { Length: > 0 } s ? s : null;
}

/// <summary>The source could not be queried (unreachable, refused, timed out): the run fails as a whole and is retried.</summary>
public sealed class ReanalysisSourceException : Exception
{
    public ReanalysisSourceException() { }

    public ReanalysisSourceException(string message) : base(message) { }

    public ReanalysisSourceException(string message, Exception innerException) : base(message, innerException) { }
}
