using Agent.Dicom;
using Agent.Dicom.Network;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Storage.Queue;

namespace Agent.Host.Delivery;

/// <summary>
/// Sends one outbox entry's file by C-STORE and turns the result into a <see cref="DeliveryOutcome"/>. The file is sent
/// as stored, so a retry carries the same SOP Instance UID (the destination overwrites or ignores a duplicate).
/// </summary>
public static class CStoreSender
{
    // Statuses that retrying cannot fix: SOP class not supported, data set does not match SOP class, cannot understand.
    private static readonly HashSet<ushort> Permanent = [0x0122, 0x0124, 0xA900];

    public static async Task<DeliveryOutcome> SendAsync(DestinationOptions destination, DeliveryLease lease, string? dataFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(lease);
        // Path.Combine keeps an absolute recorded path as it is.
        var path = string.IsNullOrEmpty(lease.FilePath) ? null : dataFolder is null ? lease.FilePath : Path.Combine(dataFolder, lease.FilePath);
        if (path is null || !File.Exists(path))
            return new DeliveryOutcome(false, null, $"output file {path ?? "(none)"} is missing", Permanent: true);
        CStoreRequest request;
        try
        {
            request = CStoreRequest.FromFile(path);
        }
        catch (DicomFormatException e)
        {
            return new DeliveryOutcome(false, null, $"output file {path} is not DICOM: {e.Message}", Permanent: true);
        }
        var options = new DicomClientOptions
        {
            Host = destination.Host,
            Port = destination.Port,
            CalledAeTitle = destination.AeTitle,
            CallingAeTitle = destination.CallingAeTitle,
            ConnectTimeout = TimeSpan.FromSeconds(destination.ConnectTimeoutSeconds),
        };
        try
        {
            var client = await DicomClient.ConnectForAsync(options, [request], cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                if (client.FindContext(request) is null)
                    return new DeliveryOutcome(false, null, $"{destination.AeTitle} accepts no presentation context for {lease.SopClassUid}", Permanent: true);
                var response = await client.SendForFinalAsync(request, cancellationToken).ConfigureAwait(false);
                await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                var status = response.Status;
                if (status.IsSuccess || status.Category == DimseStatusCategory.Warning)
                    return new DeliveryOutcome(true, status.Code, null);
                return new DeliveryOutcome(false, status.Code, $"C-STORE refused: {status} {response.ErrorComment}".Trim(), Permanent.Contains(status.Code));
            }
        }
        catch (Exception e) when (e is DicomNetworkException or IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return new DeliveryOutcome(false, null, $"{destination.AeTitle}@{destination.Host}:{destination.Port}: {e.Message}");
        }
    }
}
