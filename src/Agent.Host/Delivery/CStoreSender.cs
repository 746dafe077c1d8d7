using System.Runtime.CompilerServices;
using Agent.Dicom;
using Agent.Dicom.Network;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Storage.Queue;

namespace Agent.Host.Delivery;

/// <summary>
/// Sends a batch of outbox entries for one destination by C-STORE over one association (more only when they need
/// over 128 presentation contexts, see <see cref="StoreBatches"/>) and reports each item's outcome as soon as the
/// destination answered for it. Files are sent as stored, so a retry carries the same SOP Instance UID (the
/// destination overwrites or ignores a duplicate). A refusal of one instance does not stop the others; an unreachable
/// destination or a broken association fails the items not yet acknowledged, together.
/// </summary>
/// <remarks>
/// Retry policy: PS3.7 defines statuses, not which of them are worth retrying, and real archives answer 0xC000 or
/// 0x0110 for transient faults (a full disk, a database restart). So every failure status is retried, up to the
/// destination's attempt limit, after which the delivery is failed (visible, and requeueable); only the statuses a
/// site lists in <see cref="DestinationOptions.PermanentStatuses"/> fail at once.
/// </remarks>
public static class CStoreSender
{
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
        var permanent = destination.PermanentStatusCodes();
        foreach (var group in StoreBatches.ByPresentationContexts(ready, r => r.Request))
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
                    var (outcome, broken) = await StoreAsync(client, destination, permanent, request, cancellationToken).ConfigureAwait(false);
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
        DicomClient client, DestinationOptions destination, IReadOnlySet<ushort> permanent, CStoreRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.SendForFinalAsync(request, cancellationToken).ConfigureAwait(false);
            var status = response.Status;
            if (status.IsSuccess || status.Category == DimseStatusCategory.Warning) return (new DeliveryOutcome(true, status.Code, null), false);
            return (new DeliveryOutcome(false, status.Code, $"C-STORE refused: {status} {response.ErrorComment}".Trim(), permanent.Contains(status.Code)), false);
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
