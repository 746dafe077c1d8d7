using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network;

/// <summary>Log messages of the DIMSE-N services: MPPS, IAN, Storage Commitment (event ids 3050-3069 of the network range).</summary>
internal static partial class NetLog
{
    [LoggerMessage(EventId = 3050, Level = LogLevel.Warning, Message = "{Command} of {SopClass} {SopInstanceUid} refused: {Status} {Comment}")]
    public static partial void NRequestRefused(ILogger logger, string command, string sopClass, string sopInstanceUid, string status, string? comment);

    [LoggerMessage(EventId = 3051, Level = LogLevel.Error, Message = "{Command} of {SopClass}: the provider failed")]
    public static partial void NProviderFailed(ILogger logger, string command, string sopClass, Exception exception);

    [LoggerMessage(EventId = 3052, Level = LogLevel.Information, Message = "MPPS {SopInstanceUid} {Operation}: {Status}, {Series} series")]
    public static partial void MppsAccepted(ILogger logger, string sopInstanceUid, string operation, string status, int series);

    [LoggerMessage(EventId = 3053, Level = LogLevel.Debug, Message = "MPPS {SopInstanceUid}: N-SET of {Tag} ignored, it is set only by N-CREATE")]
    public static partial void MppsCreateOnlyIgnored(ILogger logger, string sopInstanceUid, string tag);

    [LoggerMessage(EventId = 3054, Level = LogLevel.Information, Message = "Instance availability {SopInstanceUid} for study {StudyInstanceUid}: {Series} series, {Instances} instances")]
    public static partial void IanAccepted(ILogger logger, string sopInstanceUid, string studyInstanceUid, int series, int instances);

    [LoggerMessage(EventId = 3055, Level = LogLevel.Information, Message = "Storage commitment {TransactionUid} result on association {Association}: {Committed} committed, {Failed} failed")]
    public static partial void CommitmentReport(ILogger logger, string transactionUid, string association, int committed, int failed);

    [LoggerMessage(EventId = 3056, Level = LogLevel.Information, Message = "Storage commitment {TransactionUid} requested from {Peer} for {Count} instances: {Status}")]
    public static partial void CommitmentRequested(ILogger logger, string transactionUid, string peer, int count, string status);
}
