using System.Globalization;
using Agent.Host.Configuration;
using Npgsql;

namespace Agent.Host.Reanalysis;

/// <summary>
/// The database of the agent that serves this AGENT_HOME, for commands that hand work to it: the configured server,
/// or the embedded cluster that <c>agent serve</c> runs (found through its postmaster.pid; never started here, since
/// a cluster nobody serves would only hold the job forever).
/// </summary>
public static class ServingDatabase
{
    /// <summary>An open-able data source, or a message that says why there is none (for people, not logs).</summary>
    public static async Task<(NpgsqlDataSource? DataSource, string? Error)> ConnectAsync(AgentSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string connectionString;
        string where;
        if (settings.Database.IsEmbedded)
        {
            var pidFile = Path.Combine(settings.EmbeddedDatabaseFolder, "postmaster.pid");
            string[] lines;
            try
            {
                lines = await File.ReadAllLinesAsync(pidFile, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return (null, $"no agent is serving {settings.Home}: its embedded database ({settings.EmbeddedDatabaseFolder}) is not running; start 'agent serve' first");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, $"cannot read {pidFile}: {e.Message} (run as the agent's user)");
            }
            // postmaster.pid: pid, data directory, start time, port, socket directory, ...
            if (lines.Length < 5 || !int.TryParse(lines[3], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || lines[4].Trim().Length == 0)
                return (null, $"the embedded database of {settings.Home} is starting or stopping ({pidFile} is incomplete); try again");
            connectionString = new NpgsqlConnectionStringBuilder { Host = lines[4].Trim(), Port = port, Username = "agent", Database = "agent", Timeout = 5 }.ConnectionString;
            where = $"the embedded database in {settings.EmbeddedDatabaseFolder}";
        }
        else
        {
            var builder = new NpgsqlConnectionStringBuilder(settings.Database.ConnectionString);
            if (builder.Timeout > 10) builder.Timeout = 10;
            connectionString = builder.ConnectionString;
            where = $"PostgreSQL at {builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{builder.Database}";
        }
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var check = new NpgsqlCommand("SELECT to_regclass('reanalysis_runs') IS NOT NULL", conn);
            if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
                return (null, $"{where} has no re-analysis tables yet: restart 'agent serve' with this version so it applies its migrations");
            }
            return (dataSource, null);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or IOException)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            return (null, $"cannot reach {where}: {e.Message}");
        }
    }
}
