using Agent.Dicom.Network.Services;
using Agent.Host.Logging;
using Microsoft.Extensions.Logging;

namespace Agent.Host.Ingest;

/// <summary>
/// Refuses new associations while the data folder's file system has less free space than
/// <c>Agent:Storage:MinFreeSpaceMB</c>, so a full disk shows up as a clear transient rejection at the sender (it may retry once space is freed) instead of
/// half-received studies. Associations already open continue (each instance still fails cleanly with 0xA700).
/// </summary>
public sealed class DiskWatermark(string dataFolder, long minFreeMB, ILogger<DiskWatermark> logger, Func<string, long>? freeBytes = null)
    : IAssociationAuthorizer
{
    private readonly Func<string, long> _freeBytes = freeBytes ?? (path => new DriveInfo(path).AvailableFreeSpace);

    public long FreeMB => _freeBytes(dataFolder) / (1024 * 1024);

    public ValueTask<AuthorizationResult> AuthorizeAsync(AssociationRequestInfo request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Refusal(request.CallingAeTitle) is { } reason ? AuthorizationResult.RejectTransient(reason) : AuthorizationResult.Accept);

    /// <summary>Why a new association from <paramref name="callingAeTitle"/> must be refused now, or null to accept it.</summary>
    public string? Refusal(string callingAeTitle)
    {
        var free = FreeMB;
        if (free >= minFreeMB) return null;
        Log.LowDisk(logger, callingAeTitle, free, minFreeMB);
        return $"only {free} MB free for received data (minimum {minFreeMB} MB)";
    }
}
