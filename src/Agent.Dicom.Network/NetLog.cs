using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network;

/// <summary>Source-generated log messages of the network layer (event ids 3000-3099).</summary>
internal static partial class NetLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "DICOM server listening on {EndPoint} (TLS: {Tls})")]
    public static partial void Listening(ILogger logger, string endPoint, bool tls);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Association accepted: {Calling} -> {Called} from {Remote}, {Contexts} presentation contexts")]
    public static partial void Accepted(ILogger logger, string calling, string called, string? remote, int contexts);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Association rejected: {Calling} -> {Called} from {Remote}: {Reason}")]
    public static partial void Rejected(ILogger logger, string calling, string called, string? remote, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Association aborted ({Reason}) in state {State}")]
    public static partial void Aborted(ILogger logger, string reason, string state);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Association released")]
    public static partial void Released(ILogger logger);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "{Command} received")]
    public static partial void DimseReceived(ILogger logger, string command);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "C-STORE of {SopInstanceUid} failed: {Status} {Comment}")]
    public static partial void StoreFailed(ILogger logger, string sopInstanceUid, string status, string? comment);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Connection from {Remote} refused: {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, string? remote, string reason);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Error, Message = "Association failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "TLS handshake with {Remote} failed: {Message}")]
    public static partial void TlsFailed(ILogger logger, string? remote, string message);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Response to unknown message id {MessageId} ignored")]
    public static partial void UnknownResponse(ILogger logger, ushort messageId);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "DICOM server stopping; {Count} associations in flight")]
    public static partial void Stopping(ILogger logger, int count);
}
