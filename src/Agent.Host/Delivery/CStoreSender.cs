using System.Runtime.CompilerServices;
using Agent.Dicom;
using Agent.Dicom.Network;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Storage.Queue;

namespace Agent.Host.Delivery;

/// <summary>
/// Sends a batch of outbox entries for one destination by C-STORE over one association (more only when they need
/// over 128 presentation contexts) and reports each item's outcome as soon as the destination answered for it.
/// Files are sent as stored, so a retry carries the same SOP Instance UID (the destination overwrites or ignores a
/// duplicate). A refusal of one instance does not stop the others; an unreachable destination or a broken
/// association fails the items not yet acknowledged, together.
/// </summary>
public static class CStoreSender
{
    // Statuses that retrying cannot fix: SOP class not supported, data set does not match SOP class, cannot understand.
    private static readonly HashSet<ushort> Permanent = [0x0122, 0x0124, 0xA900];

    private const int MaxContexts = 128;

    /// <param name="destination">Where to send.</param>
    /// <param name="batch">The leased deliveries.</param>
    /// <param name="dataFolder">Relative file paths (instances, pipeline outputs) resolve against it.</param>
    /// <param name="cancellationToken">Stops sending.</param>
    public static async IAsyncEnumerable<DeliveryResult> SendAsync(
        DestinationOptions destination, DeliveryBatch batch, string dataFolder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(batch);
        var ready = new List<(DeliveryLease Item, CStoreRequest Request)>();
        foreach (var item in batch.Items)
        {
            var (request, problem) = Open(item, dataFolder);
            if (request is null) yield return new DeliveryResult(item, problem!);
            else ready.Add((item, request));
        }

        var options = new DicomClientOptions
        {
            Host = destination.Host,
            Port = destination.Port,
            CalledAeTitle = destination.AeTitle,
            CallingAeTitle = destination.CallingAeTitle,
            ConnectTimeout = TimeSpan.FromSeconds(destination.ConnectTimeoutSeconds),
        };
        foreach (var group in ByContexts(ready))
        {
            var (client, refused) = await ConnectAsync(options, destination, group.Select(g => g.Request), cancellationToken).ConfigureAwait(false);
            if (client is null)
            {
                yield return DeliveryResult.ForRest(refused!);
                yield break;
            }
            await using (client.ConfigureAwait(false))
            {
                foreach (var (item, request) in group)
                {
                    if (client.FindContext(request) is null)
                    {
                        yield return new DeliveryResult(item, new DeliveryOutcome(false, null,
                            $"{destination.AeTitle} accepts no presentation context for {request.StoreSopClassUid} in {request.TransferSyntaxUid}", Permanent: true));
                        continue;
                    }
                    var (outcome, broken) = await StoreAsync(client, destination, request, cancellationToken).ConfigureAwait(false);
                    if (broken)
                    {
                        yield return DeliveryResult.ForRest(outcome);
                        yield break;
                    }
                    yield return new DeliveryResult(item, outcome);
                }
                await ReleaseAsync(client, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static (CStoreRequest? Request, DeliveryOutcome? Problem) Open(DeliveryLease item, string dataFolder)
    {
        if (string.IsNullOrEmpty(item.FilePath))
            return (null, new DeliveryOutcome(false, null, "no file recorded for this delivery", Permanent: true));
        var path = Path.GetFullPath(Path.Combine(dataFolder, item.FilePath));
        if (!File.Exists(path))
            return (null, new DeliveryOutcome(false, null, $"file {path} is missing", Permanent: true));
        try
        {
            return (CStoreRequest.FromFile(path), null);
        }
        catch (DicomFormatException e)
        {
            return (null, new DeliveryOutcome(false, null, $"file {path} is not DICOM: {e.Message}", Permanent: true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, new DeliveryOutcome(false, null, $"file {path}: {e.Message}"));
        }
    }

    // One association proposes at most 128 contexts (one per SOP class and transfer syntax).
    private static IEnumerable<List<(DeliveryLease Item, CStoreRequest Request)>> ByContexts(List<(DeliveryLease Item, CStoreRequest Request)> ready)
    {
        var group = new List<(DeliveryLease, CStoreRequest)>();
        var keys = new HashSet<(string, string)>();
        foreach (var entry in ready)
        {
            if (keys.Add((entry.Request.StoreSopClassUid, entry.Request.TransferSyntaxUid)) && keys.Count > MaxContexts)
            {
                yield return group;
                group = [];
                keys.Clear();
                keys.Add((entry.Request.StoreSopClassUid, entry.Request.TransferSyntaxUid));
            }
            group.Add(entry);
        }
        if (group.Count > 0) yield return group;
    }

    private static async Task<(DicomClient? Client, DeliveryOutcome? Refused)> ConnectAsync(
        DicomClientOptions options, DestinationOptions destination, IEnumerable<CStoreRequest> requests, CancellationToken cancellationToken)
    {
        try
        {
            return (await DicomClient.ConnectForAsync(options, requests, cancellationToken: cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (IsNetwork(e))
        {
            return (null, new DeliveryOutcome(false, null, $"{Where(destination)}: {e.Message}"));
        }
    }

    private static async Task<(DeliveryOutcome Outcome, bool Broken)> StoreAsync(
        DicomClient client, DestinationOptions destination, CStoreRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.SendForFinalAsync(request, cancellationToken).ConfigureAwait(false);
            var status = response.Status;
            if (status.IsSuccess || status.Category == DimseStatusCategory.Warning) return (new DeliveryOutcome(true, status.Code, null), false);
            return (new DeliveryOutcome(false, status.Code, $"C-STORE refused: {status} {response.ErrorComment}".Trim(), Permanent.Contains(status.Code)), false);
        }
        catch (Exception e) when (IsNetwork(e))
        {
            return (new DeliveryOutcome(false, null, $"{Where(destination)}: {e.Message}"), true);
        }
    }

    // Everything was acknowledged (and recorded): a peer that mishandles the release costs nothing.
    private static async Task ReleaseAsync(DicomClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsNetwork(e))
        {
        }
    }

    private static bool IsNetwork(Exception e) => e is DicomNetworkException or IOException or System.Net.Sockets.SocketException or TimeoutException;

    private static string Where(DestinationOptions d) => $"{d.AeTitle}@{d.Host}:{d.Port}";
}
