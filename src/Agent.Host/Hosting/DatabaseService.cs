using Agent.Host.Configuration;
using Agent.Host.Logging;
using Agent.Storage.Embedded;
using Agent.Storage.Migrations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agent.Host.Hosting;

/// <summary>
/// Starts first and stops last: with no connection string it runs the embedded PostgreSQL cluster under
/// &lt;data&gt;/pg, otherwise it uses the configured server; either way it applies the migrations before anything
/// else starts.
/// </summary>
internal sealed class DatabaseService : IHostedService, IAsyncDisposable
{
    private readonly DatabaseOptions _options;
    private readonly AgentSettings _settings;
    private readonly AgentDatabase _database;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private EmbeddedPostgres? _embedded;

    public DatabaseService(IOptions<DatabaseOptions> options, AgentSettings settings, AgentDatabase database, ILoggerFactory loggers)
    {
        _options = options.Value;
        _settings = settings;
        _database = database;
        _loggers = loggers;
        _logger = loggers.CreateLogger<DatabaseService>();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.IsEmbedded)
        {
            Directory.CreateDirectory(_settings.DataFolder);
            _embedded = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions
            {
                ClusterDirectory = _settings.EmbeddedDatabaseFolder,
                BinDirectory = string.IsNullOrWhiteSpace(_options.PostgresBinDirectory) ? null : _options.PostgresBinDirectory,
            }, _loggers.CreateLogger<EmbeddedPostgres>(), cancellationToken).ConfigureAwait(false);
            Log.EmbeddedDatabase(_logger, _settings.EmbeddedDatabaseFolder);
            _database.Set(_embedded.ConnectionString, $"embedded PostgreSQL in {_settings.EmbeddedDatabaseFolder} (socket {_embedded.SocketDirectory})");
        }
        else
        {
            var builder = new NpgsqlConnectionStringBuilder(_options.ConnectionString);
            _database.Set(_options.ConnectionString, $"PostgreSQL at {builder.Host}:{builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{builder.Database}");
        }
        await MigrationRunner.ApplyAsync(_database.ConnectionString, null, _loggers.CreateLogger("Agent.Storage.Migrations"), cancellationToken)
            .ConfigureAwait(false);
        Log.Migrated(_logger);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_embedded is not null) await _embedded.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null) await _embedded.DisposeAsync().ConfigureAwait(false);
    }
}
