using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Agent.Storage.Queue;

/// <summary>
/// Lets an idle worker sleep until work is queued: LISTENs on a channel (<see cref="JobQueue.NotificationChannel"/>,
/// <see cref="DeliveryOutbox.NotificationChannel"/>) on its own connection. Notifications that arrive while the
/// worker is busy are buffered by the connection, so a wake-up is not lost between two waits.
/// One waiter per instance (not thread-safe); each worker loop owns one.
/// </summary>
public sealed partial class WorkNotifier(NpgsqlDataSource dataSource, string channel, ILogger? logger = null) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
    private readonly string _channel = ChannelPattern().IsMatch(channel) ? channel : throw new ArgumentException($"Invalid channel name '{channel}'", nameof(channel));
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private NpgsqlConnection? _connection;

    /// <summary>
    /// Waits until a notification arrives (true) or <paramref name="timeout"/> passes (false: poll anyway).
    /// When the database is unreachable it waits the whole timeout and returns false, reconnecting next time.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await SubscribedAsync(cancellationToken).ConfigureAwait(false);

            // Npgsql takes whole milliseconds and treats 0 as "no timeout": a retry due in 0.4 ms would otherwise
            // put the worker to sleep until the next notification, however long that takes.
            var milliseconds = (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 1, int.MaxValue);
            return await connection.WaitAsync(milliseconds, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
        {
            LogListenFailed(_logger, _channel, ex.Message);
            await DropConnectionAsync().ConfigureAwait(false);
            await Task.Delay(timeout, cancellationToken).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>
    /// Subscribes (once; again after a lost connection). A worker calls this before it looks for work, so whatever is
    /// queued after its look raises a notification it hears: a LISTEN issued only when it goes to sleep would miss
    /// what was queued in between, and that work would wait for the next poll.
    /// </summary>
    public Task ListenAsync(CancellationToken cancellationToken) => SubscribedAsync(cancellationToken);

    private async Task<NpgsqlConnection> SubscribedAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } open) return open;
        var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var listen = new NpgsqlCommand($"LISTEN \"{_channel}\"", conn);
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await conn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _connection = conn;
        return conn;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await DropConnectionAsync().ConfigureAwait(false);

    private async Task DropConnectionAsync()
    {
        if (_connection is null)
        {
            return;
        }

        var conn = _connection;
        _connection = null;
        try
        {
            if (conn.State == System.Data.ConnectionState.Open)
            {
                // Pooled connections keep session state; do not hand a listening one to someone else.
                await using var unlisten = new NpgsqlCommand("UNLISTEN *", conn);
                await unlisten.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
        {
            // Broken connection: disposing it is all that is left.
        }

        await conn.DisposeAsync().ConfigureAwait(false);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex ChannelPattern();

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "Waiting for work on channel {Channel} failed ({Error}); falling back to polling")]
    private static partial void LogListenFailed(ILogger logger, string channel, string error);
}
