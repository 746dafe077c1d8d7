using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Agent.Storage.Migrations;

/// <summary>
/// Applies the plain SQL files of <c>migrations/</c> (<c>NNNN_name.sql</c>) in order, each in its own transaction,
/// and records them in <c>schema_migrations</c> (version, name, sha256, applied_at).
/// </summary>
/// <remarks>
/// A session advisory lock serialises concurrent runners, so several agents starting at once against one database
/// apply each migration exactly once. A migration already applied whose file content changed is an error (fix it
/// with a new migration instead). Versions in the database this build does not know are logged, not fatal
/// (an older agent next to a newer one).
/// </remarks>
public static partial class MigrationRunner
{
    /// <summary>Advisory lock key shared by every agent build ("agentmig" in ASCII).</summary>
    private const long AdvisoryLockKey = 0x6167656E746D6967;

    /// <summary>The default folder: <c>migrations/</c> next to the application's assemblies.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "migrations");

    /// <summary>Reads and orders the migration files of <paramref name="directory"/>.</summary>
    public static IReadOnlyList<MigrationScript> Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new MigrationException($"Migrations folder '{directory}' does not exist");
        }

        var scripts = new List<MigrationScript>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.sql"))
        {
            var fileName = Path.GetFileName(path);
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new MigrationException($"Migration file '{fileName}' is not named NNNN_name.sql");
            }

            // Hash with normalised line endings so a checkout with CRLF does not look like an edited migration.
            var sql = File.ReadAllText(path, Encoding.UTF8).Replace("\r\n", "\n", StringComparison.Ordinal);
            var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
            scripts.Add(new MigrationScript(match.Groups[1].Value, match.Groups[2].Value, sql, sha));
        }

        scripts.Sort((a, b) => string.CompareOrdinal(a.Version, b.Version));
        for (var i = 1; i < scripts.Count; i++)
        {
            if (scripts[i].Version == scripts[i - 1].Version)
            {
                throw new MigrationException($"Two migration files share version {scripts[i].Version}");
            }
        }

        return scripts;
    }

    /// <summary>Applies every pending migration; returns the versions applied by this call.</summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(
        string connectionString, string? directory, ILogger? logger, CancellationToken cancellationToken)
    {
        logger ??= NullLogger.Instance;
        var scripts = Load(directory ?? DefaultDirectory);
        var applied = new List<string>();

        // Pooling off: the advisory lock is session-scoped, and this connection is used once.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(conn, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(
                conn,
                null,
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    text PRIMARY KEY,
                    name       text NOT NULL,
                    sha256     text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """,
                cancellationToken).ConfigureAwait(false);

            var known = new Dictionary<string, string>(StringComparer.Ordinal);
            await using (var cmd = new NpgsqlCommand("SELECT version, sha256 FROM schema_migrations", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    known[reader.GetString(0)] = reader.GetString(1);
                }
            }

            foreach (var version in known.Keys.Where(v => scripts.All(s => s.Version != v)))
            {
                LogUnknownVersion(logger, version);
            }

            foreach (var script in scripts)
            {
                if (known.TryGetValue(script.Version, out var sha))
                {
                    if (sha != script.Sha256)
                    {
                        throw new MigrationException(
                            $"Migration {script.Version}_{script.Name}.sql was changed after it was applied " +
                            $"(recorded sha256 {sha}, file {script.Sha256}); add a new migration instead of editing one");
                    }

                    continue;
                }

                await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await ExecuteAsync(conn, tx, script.Sql, cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException ex)
                {
                    throw new MigrationException($"Migration {script.Version}_{script.Name}.sql failed: {ex.MessageText}", ex);
                }

                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)", conn, tx))
                {
                    record.Parameters.Add(new NpgsqlParameter { Value = script.Version });
                    record.Parameters.Add(new NpgsqlParameter { Value = script.Name });
                    record.Parameters.Add(new NpgsqlParameter { Value = script.Sha256 });
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                LogApplied(logger, script.Version, script.Name);
                applied.Add(script.Version);
            }
        }
        finally
        {
            // The session ends right after, which releases the lock anyway; unlock explicitly for clarity.
            if (conn.State == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(conn, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None).ConfigureAwait(false);
            }
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex(@"^(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Applied database migration {Version} ({Name})")]
    private static partial void LogApplied(ILogger logger, string version, string name);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "The database has migration {Version}, which this agent build does not know (a newer agent shares the database?)")]
    private static partial void LogUnknownVersion(ILogger logger, string version);
}
