using System.Globalization;
using Agent.Host.Configuration;
using Agent.Host.Logging;
using Agent.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Agent.Host.Hosting;

/// <summary>
/// Starts first and stops last: with no connection string it runs the embedded PostgreSQL cluster under
/// &lt;data&gt;/postgres, otherwise it waits for the configured server; either way it applies the migrations before
/// anything else starts.
/// </summary>
internal sealed class DatabaseService : IHostedService, IAsyncDisposable
{
    private readonly DatabaseOptions _options;
    private readonly AgentSettings _settings;
    private readonly DatabaseAccess _access;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private AgentDatabase? _database;

    public DatabaseService(IOptions<DatabaseOptions> options, AgentSettings settings, DatabaseAccess access, ILoggerFactory loggers)
    {
        _options = options.Value;
        _settings = settings;
        _access = access;
        _loggers = loggers;
        _logger = loggers.CreateLogger<DatabaseService>();
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_settings.DataFolder);
        _database = await AgentDatabase.OpenAsync(new AgentDatabaseOptions
        {
            ConnectionString = _options.IsEmbedded ? null : _options.ConnectionString,
            DataDirectory = _settings.DataFolder,
            PostgresBinDirectory = string.IsNullOrWhiteSpace(_options.PostgresBinDirectory) ? null : _options.PostgresBinDirectory,
        }, _loggers, cancellationToken).ConfigureAwait(false);
        string description;
        if (_database.Embedded is { } embedded)
        {
            Log.EmbeddedDatabase(_logger, _settings.EmbeddedDatabaseFolder);
            description = $"embedded PostgreSQL in {_settings.EmbeddedDatabaseFolder} (socket {embedded.SocketDirectory})";
        }
        else
        {
            var builder = new NpgsqlConnectionStringBuilder(_options.ConnectionString);
            description = $"PostgreSQL at {builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{builder.Database}";
        }
        _access.Set(_database, description);
        Log.Migrated(_logger);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_database is not null)
        {
            await _database.DisposeAsync().ConfigureAwait(false);
            _database = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync().ConfigureAwait(false);
    }
}
