using Agent.Storage.Embedded;
using Agent.Storage.Migrations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Agent.Storage;

/// <summary>
/// The agent's database, ready to use: the configured server or the embedded cluster (started here), migrated to
/// the current schema, with one <see cref="NpgsqlDataSource"/> for every repository and queue.
/// Dispose it when the agent stops (it stops the embedded server, if any).
/// </summary>
public sealed partial class AgentDatabase : IAsyncDisposable
{
    private AgentDatabase(NpgsqlDataSource dataSource, string connectionString, EmbeddedPostgres? embedded, IReadOnlyList<string> applied)
    {
        DataSource = dataSource;
        ConnectionString = connectionString;
        Embedded = embedded;
        AppliedMigrations = applied;
    }

    public NpgsqlDataSource DataSource { get; }

    public string ConnectionString { get; }

    /// <summary>The embedded cluster, or null when an external server is configured.</summary>
    public EmbeddedPostgres? Embedded { get; }

    /// <summary>Migration versions applied by this start-up (empty when the schema was current).</summary>
    public IReadOnlyList<string> AppliedMigrations { get; }

    /// <summary>Starts the embedded cluster when needed, waits for the server, applies migrations, opens the data source.</summary>
    public static async Task<AgentDatabase> OpenAsync(AgentDatabaseOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<AgentDatabase>();
        EmbeddedPostgres? embedded = null;
        string connectionString;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            if (string.IsNullOrWhiteSpace(options.DataDirectory))
            {
                throw new ArgumentException("Either a connection string or a data directory (for the embedded database) is required", nameof(options));
            }

            var embeddedOptions = new EmbeddedPostgresOptions
            {
                ClusterDirectory = Path.Combine(options.DataDirectory, "postgres"),
                BinDirectory = options.PostgresBinDirectory,
                ServerOsUser = options.PostgresOsUser,
                InitWithoutSync = options.FastEmbeddedInit,
            };
            embedded = await EmbeddedPostgres.StartAsync(embeddedOptions, loggerFactory.CreateLogger<EmbeddedPostgres>(), cancellationToken)
                .ConfigureAwait(false);
            connectionString = embedded.ConnectionString;
        }
        else
        {
            connectionString = options.ConnectionString;
            await WaitForServerAsync(connectionString, options.ConnectTimeout, logger, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var applied = await MigrationRunner.ApplyAsync(connectionString, options.MigrationsDirectory, loggerFactory.CreateLogger(typeof(MigrationRunner)), cancellationToken)
                .ConfigureAwait(false);
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            builder.UseLoggerFactory(loggerFactory);
            // Statements run per received instance (the index batch) are prepared on each pooled connection after
            // two uses instead of being parsed and planned every time; an explicit setting in the string wins.
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            return new AgentDatabase(builder.Build(), connectionString, embedded, applied);
        }
        catch
        {
            if (embedded is not null)
            {
                await embedded.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync().ConfigureAwait(false);
        if (Embedded is not null)
        {
            await Embedded.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task WaitForServerAsync(string connectionString, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var noPool = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        while (true)
        {
            try
            {
                await using var conn = new NpgsqlConnection(noPool);
                await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException
                                       && DateTime.UtcNow < deadline && !IsAuthenticationError(ex))
            {
                LogWaitingForServer(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Wrong password or unknown database will not fix themselves: fail at once with the server's message.
    private static bool IsAuthenticationError(Exception ex) =>
        ex is PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification or PostgresErrorCodes.InvalidCatalogName };

    [LoggerMessage(EventId = 4030, Level = LogLevel.Warning, Message = "Database not reachable yet ({Error}); retrying")]
    private static partial void LogWaitingForServer(ILogger logger, string error);
}
