using Microsoft.Extensions.Logging;

namespace Agent.Host.Logging;

/// <summary>
/// Every log message of the host, source-generated. Event ids by feature:
/// 1000-1099 host lifecycle, 1100-1199 database, 2000-2099 ingest (net uses 3000-, storage 4000-).
/// </summary>
internal static partial class Log
{
    // 1000-1099: host lifecycle
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Listening for DICOM on {Address}:{Port} as AE title {AeTitle}")]
    public static partial void Listening(ILogger logger, string address, int port, string aeTitle);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Data folder {DataFolder}; instances in {InstancesFolder}")]
    public static partial void DataFolder(ILogger logger, string dataFolder, string instancesFolder);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Database: {Database}")]
    public static partial void Database(ILogger logger, string database);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Removed {Count} incomplete instance file(s) left by an earlier crash (never acknowledged)")]
    public static partial void RemovedIncomplete(ILogger logger, int count);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Stopping: finishing in-flight associations")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "{Count} job worker(s) running for: {Kinds}")]
    public static partial void JobWorkers(ILogger logger, int count, string kinds);

    // 2000-2099: ingest
    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "Stored {SopInstanceUid} ({Size} bytes) as {RelativePath}")]
    public static partial void Stored(ILogger logger, string sopInstanceUid, long size, string relativePath);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Duplicate SOP Instance UID {SopInstanceUid}: policy {Policy}")]
    public static partial void Duplicate(ILogger logger, string sopInstanceUid, string policy);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Refused instance {SopInstanceUid}: status 0x{Status:X4}, {Reason}")]
    public static partial void Refused(ILogger logger, string sopInstanceUid, ushort status, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Could not store instance {SopInstanceUid}: status 0x{Status:X4}")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string sopInstanceUid, ushort status);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Refusing association from {CallingAeTitle}: {FreeMB} MB free in the data folder, below Agent:Storage:MinFreeSpaceMB={MinFreeMB}")]
    public static partial void LowDisk(ILogger logger, string callingAeTitle, long freeMB, long minFreeMB);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Association {AssociationId} from {CallingAeTitle} at {RemoteAddress} to {CalledAeTitle}")]
    public static partial void AssociationOpened(ILogger logger, long associationId, string callingAeTitle, string remoteAddress, string calledAeTitle);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Association {AssociationId} ended: {Stored} stored, {Failed} failed")]
    public static partial void AssociationClosed(ILogger logger, long associationId, int stored, int failed);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Reconciled {Count} stored instance(s) that were not indexed (crash between store and index)")]
    public static partial void Reconciled(ILogger logger, int count);

    // 1100-1199: database
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Embedded PostgreSQL running in {Folder}")]
    public static partial void EmbeddedDatabase(ILogger logger, string folder);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Database migrations up to date")]
    public static partial void Migrated(ILogger logger);
}
