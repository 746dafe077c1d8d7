using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Agent.Storage.Embedded;

/// <summary>
/// The agent's own PostgreSQL cluster, for installations without a configured database server.
/// </summary>
/// <remarks>
/// <para>Behaviour:</para>
/// <list type="bullet">
/// <item>First use: <c>initdb</c> creates the cluster in <see cref="EmbeddedPostgresOptions.ClusterDirectory"/>
/// (UTF8, C locale, superuser <see cref="EmbeddedPostgresOptions.SuperUser"/>, trust auth on the local socket,
/// every TCP connection rejected).</item>
/// <item>The server listens on a unix socket only (no TCP port, so no collision with a system cluster on 5432).
/// The socket lives in the cluster folder itself (mode 0700: only the server's OS user, and root, can connect);
/// when that path is too long for a socket (about 100 bytes) it lives in <c>/tmp/agent-pg-HASH</c> instead,
/// also mode 0700.</item>
/// <item>Running as root: PostgreSQL refuses root, so initdb/pg_ctl run as
/// <see cref="EmbeddedPostgresOptions.ServerOsUser"/> via <c>runuser</c> and the cluster folder is chowned to that
/// user. Every parent folder must be traversable by it (a cluster under <c>/root</c> is not).</item>
/// <item>After the agent was killed (<c>kill -9</c>) the postmaster usually survives: start-up finds it running
/// on this cluster (<c>pg_ctl status</c>) and adopts it; if the postmaster died too, PostgreSQL itself discards the
/// stale <c>postmaster.pid</c> and runs crash recovery on start.</item>
/// <item><see cref="DisposeAsync"/> stops the server (<c>pg_ctl stop -m fast</c>: open transactions roll back).</item>
/// <item>One agent process per cluster folder.</item>
/// </list>
/// </remarks>
public sealed partial class EmbeddedPostgres : IAsyncDisposable
{
    private const int MaxSocketPathBytes = 100;
    private readonly EmbeddedPostgresOptions _options;
    private readonly ILogger _logger;
    private readonly string _binDirectory;
    private readonly string? _runAs;
    private readonly string _clusterDirectory;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _handedOut = new(StringComparer.Ordinal);
    private int _stopped;

    private EmbeddedPostgres(EmbeddedPostgresOptions options, ILogger logger, string binDirectory, string? runAs)
    {
        _options = options;
        _logger = logger;
        _binDirectory = binDirectory;
        _runAs = runAs;
        _clusterDirectory = Path.GetFullPath(options.ClusterDirectory);
        SocketDirectory = ChooseSocketDirectory(_clusterDirectory, options.Port);
    }

    /// <summary>Folder holding the server's unix socket (the connection string's Host).</summary>
    public string SocketDirectory { get; }

    /// <summary>Connection string for <see cref="EmbeddedPostgresOptions.Database"/>.</summary>
    public string ConnectionString => ConnectionStringFor(_options.Database);

    /// <summary>True when start-up found a postmaster already running on this cluster and adopted it.</summary>
    public bool AdoptedRunningServer { get; private set; }

    /// <summary>True when start-up created the cluster (first use).</summary>
    public bool CreatedCluster { get; private set; }

    /// <summary>Creates the cluster if needed, starts (or adopts) its server, creates the database.</summary>
    public static async Task<EmbeddedPostgres> StartAsync(
        EmbeddedPostgresOptions options, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateIdentifier(options.Database, nameof(options.Database));
        ValidateIdentifier(options.SuperUser, nameof(options.SuperUser));
        if (options.Port is < 1 or > 65535)
        {
            throw new ArgumentException("Port must be 1-65535", nameof(options));
        }

        var bin = await LocateBinDirectoryAsync(options.BinDirectory, cancellationToken).ConfigureAwait(false);
        var runAs = IsRoot() ? options.ServerOsUser : null;
        var pg = new EmbeddedPostgres(options, logger ?? NullLogger.Instance, bin, runAs);
        try
        {
            await pg.StartCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await pg.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return pg;
    }

    /// <summary>Connection string for another database of this cluster (tests use one database per class).</summary>
    public string ConnectionStringFor(string database)
    {
        ValidateIdentifier(database, nameof(database));
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = SocketDirectory,
            Port = _options.Port,
            Username = _options.SuperUser,
            Database = database,
        };
        _handedOut.TryAdd(builder.ConnectionString, 0);
        return builder.ConnectionString;
    }

    /// <summary>Creates <paramref name="database"/> when it does not exist yet.</summary>
    public async Task CreateDatabaseAsync(string database, CancellationToken cancellationToken)
    {
        ValidateIdentifier(database, nameof(database));
        // Unpooled: a one-off on the maintenance database.
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionStringFor("postgres")) { Pooling = false }.ConnectionString);
        await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var check = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn))
        {
            check.Parameters.Add(new NpgsqlParameter { Value = database });
            if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }

        // Identifier validated above: [a-z_][a-z0-9_]*, so quoting is enough.
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\" ENCODING 'UTF8' TEMPLATE template0", conn);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created concurrently: fine.
        }
    }

    /// <summary>Stops the server (fast shutdown). Idempotent.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        // Idle pooled connections to this server die with it; drop the pools of the connection strings handed out.
        foreach (var cs in _handedOut.Keys)
        {
            using var conn = new NpgsqlConnection(cs);
            NpgsqlConnection.ClearPool(conn);
        }

        if (!File.Exists(Path.Combine(_clusterDirectory, "PG_VERSION")))
        {
            return;
        }

        var result = await PgCtlAsync(["stop", "-D", _clusterDirectory, "-m", "fast", "-w", "-t", TimeoutSeconds()], cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0 && !result.Output.Contains("Is server running?", StringComparison.Ordinal))
        {
            LogStopFailed(_logger, _clusterDirectory, result.Output.Trim());
        }
        else
        {
            LogStopped(_logger, _clusterDirectory);
        }

        if (SocketDirectory != _clusterDirectory)
        {
            try
            {
                // Only when empty (the server removed its socket and lock file): leave nothing behind in /tmp.
                Directory.Delete(SocketDirectory, recursive: false);
            }
            catch (IOException)
            {
                // Still in use or already gone.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to remove.
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(_options.Timeout);
        await StopAsync(cts.Token).ConfigureAwait(false);
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(_clusterDirectory, "PG_VERSION")))
        {
            await InitClusterAsync(cancellationToken).ConfigureAwait(false);
            CreatedCluster = true;
        }

        await PrepareSocketDirectoryAsync(cancellationToken).ConfigureAwait(false);
        WriteAgentConf();

        RemovePidFileOfForeignProcess();
        var status = await PgCtlAsync(["status", "-D", _clusterDirectory], cancellationToken).ConfigureAwait(false);
        if (status.ExitCode == 0)
        {
            // A postmaster survived the previous agent process (kill -9): adopt it.
            AdoptedRunningServer = true;
            LogAdopted(_logger, _clusterDirectory);
        }
        else
        {
            var logFile = Path.Combine(_clusterDirectory, "log", "postgres.log");
            RotateLog(logFile);
            var start = await PgCtlAsync(
                    ["start", "-D", _clusterDirectory, "-w", "-t", TimeoutSeconds(), "-l", logFile],
                    cancellationToken)
                .ConfigureAwait(false);
            if (start.ExitCode != 0)
            {
                throw new EmbeddedPostgresException(
                    $"pg_ctl start failed for {_clusterDirectory} (exit {start.ExitCode}): {start.Output.Trim()}{Environment.NewLine}" +
                    $"Server log tail: {ReadLogTail(logFile)}");
            }
        }

        await WaitUntilAcceptingAsync(cancellationToken).ConfigureAwait(false);
        await CreateDatabaseAsync(_options.Database, cancellationToken).ConfigureAwait(false);
        LogReady(_logger, SocketDirectory, _options.Database);
    }

    private async Task InitClusterAsync(CancellationToken cancellationToken)
    {
        LogInitializing(_logger, _clusterDirectory);
        var parent = Path.GetDirectoryName(_clusterDirectory)
            ?? throw new EmbeddedPostgresException($"Cluster directory '{_clusterDirectory}' has no parent folder");
        Directory.CreateDirectory(parent);
        Directory.CreateDirectory(_clusterDirectory);
        if (Directory.EnumerateFileSystemEntries(_clusterDirectory).Any())
        {
            throw new EmbeddedPostgresException(
                $"Cluster directory '{_clusterDirectory}' is not empty but holds no PostgreSQL cluster (no PG_VERSION); " +
                "refusing to initialise over existing files");
        }

        SetMode(_clusterDirectory, OwnerOnly);
        await ChownToServerUserAsync(_clusterDirectory, cancellationToken).ConfigureAwait(false);

        var args = new List<string>
        {
            "-D", _clusterDirectory, "-U", _options.SuperUser, "-E", "UTF8", "--no-locale",
            "--auth-local=trust", "--auth-host=reject",
        };
        if (!_options.Durable || _options.InitWithoutSync)
        {
            args.Add("--no-sync");
        }

        var result = await ProcessRunner.RunAsync(Path.Combine(_binDirectory, "initdb"), args, _runAs, _options.Timeout, cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var hint = _runAs is null
                ? string.Empty
                : $" (running as OS user '{_runAs}': every parent folder of the cluster must be traversable by it)";
            throw new EmbeddedPostgresException(
                $"initdb failed for {_clusterDirectory} (exit {result.ExitCode}){hint}: {result.Output.Trim()}");
        }

        var logDir = Path.Combine(_clusterDirectory, "log");
        Directory.CreateDirectory(logDir);
        await ChownToServerUserAsync(logDir, cancellationToken).ConfigureAwait(false);
        await File.AppendAllTextAsync(
                Path.Combine(_clusterDirectory, "postgresql.conf"),
                $"{Environment.NewLine}# Written by the agent on every start (socket location, durability).{Environment.NewLine}include_if_exists = 'agent.conf'{Environment.NewLine}",
                cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task PrepareSocketDirectoryAsync(CancellationToken cancellationToken)
    {
        if (SocketDirectory == _clusterDirectory)
        {
            return;
        }

        Directory.CreateDirectory(SocketDirectory);
        SetMode(SocketDirectory, OwnerOnly);
        await ChownToServerUserAsync(SocketDirectory, cancellationToken).ConfigureAwait(false);
    }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private void WriteAgentConf()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Generated by the agent at start-up; edits are overwritten. Put your own settings in postgresql.conf.");
        AppendSetting(sb, "listen_addresses", string.Empty);
        AppendSetting(sb, "unix_socket_directories", SocketDirectory);
        AppendSetting(sb, "unix_socket_permissions", "0700");
        AppendSetting(sb, "port", _options.Port.ToString(CultureInfo.InvariantCulture));
        AppendSetting(sb, "fsync", _options.Durable ? "on" : "off");
        AppendSetting(sb, "synchronous_commit", _options.Durable ? "on" : "off");
        AppendSetting(sb, "full_page_writes", _options.Durable ? "on" : "off");
        foreach (var (name, value) in _options.Settings)
        {
            if (!IdentifierPattern().IsMatch(name))
            {
                throw new ArgumentException($"Invalid PostgreSQL setting name '{name}'", nameof(_options));
            }

            AppendSetting(sb, name, value);
        }

        var path = Path.Combine(_clusterDirectory, "agent.conf");
        File.WriteAllText(path, sb.ToString());
        if (_runAs is not null)
        {
            // Readable by the server user: the cluster folder is 0700 owned by it, the file itself needs o+r.
            SetMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    /// <summary>
    /// After a kill -9 and a reboot, postmaster.pid may name a PID now used by an unrelated process; pg_ctl would
    /// then report the server as running and PostgreSQL would refuse to start. Remove such a stale file.
    /// </summary>
    private void RemovePidFileOfForeignProcess()
    {
        var pidFile = Path.Combine(_clusterDirectory, "postmaster.pid");
        string? first;
        try
        {
            first = File.ReadLines(pidFile).FirstOrDefault();
        }
        catch (IOException)
        {
            return;
        }

        if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || !OperatingSystem.IsLinux())
        {
            return;
        }

        string comm;
        try
        {
            comm = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm").Trim();
        }
        catch (IOException)
        {
            // No such process: PostgreSQL itself treats the file as stale.
            return;
        }

        if (!comm.StartsWith("postgres", StringComparison.Ordinal) && !comm.StartsWith("postmaster", StringComparison.Ordinal))
        {
            LogForeignPid(_logger, pid, comm);
            File.Delete(pidFile);
        }
    }

    private static void RotateLog(string logFile)
    {
        const long maxBytes = 16 * 1024 * 1024;
        var info = new FileInfo(logFile);
        if (info.Exists && info.Length > maxBytes)
        {
            File.Move(logFile, logFile + ".1", overwrite: true);
        }
    }

    private static void AppendSetting(StringBuilder sb, string name, string value) =>
        sb.Append(name).Append(" = '").Append(value.Replace("'", "''", StringComparison.Ordinal)).Append('\'').AppendLine();

    private async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.Timeout;
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionStringFor("postgres")) { Pooling = false, Timeout = 5 }
            .ConnectionString;
        while (true)
        {
            try
            {
                await using var conn = new NpgsqlConnection(connectionString);
                await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new EmbeddedPostgresException(
                        $"The embedded PostgreSQL server did not accept connections on {SocketDirectory} within {_options.Timeout.TotalSeconds:0} s " +
                        $"({ex.Message}). Server log tail: {ReadLogTail(Path.Combine(_clusterDirectory, "log", "postgres.log"))}",
                        ex);
                }

                // "the database system is starting up" (recovery after a crash) or the socket is not there yet.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task<ProcessResult> PgCtlAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(Path.Combine(_binDirectory, "pg_ctl"), args, _runAs, _options.Timeout + TimeSpan.FromSeconds(5), cancellationToken);

    private async Task ChownToServerUserAsync(string path, CancellationToken cancellationToken)
    {
        if (_runAs is null)
        {
            return;
        }

        var result = await ProcessRunner.RunAsync("chown", [_runAs, path], null, _options.Timeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException(
                $"chown {_runAs} {path} failed (does OS user '{_runAs}' exist? it runs the embedded server when the agent runs as root): {result.Output.Trim()}");
        }
    }

    private string TimeoutSeconds() => ((int)Math.Ceiling(_options.Timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static string ReadLogTail(string logFile)
    {
        try
        {
            var lines = File.ReadAllLines(logFile);
            return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - 20)));
        }
        catch (IOException)
        {
            return "(no log)";
        }
        catch (UnauthorizedAccessException)
        {
            return "(log not readable)";
        }
    }

    private static string ChooseSocketDirectory(string clusterDirectory, int port)
    {
        var socketFile = Path.Combine(clusterDirectory, $".s.PGSQL.{port.ToString(CultureInfo.InvariantCulture)}");
        if (Encoding.UTF8.GetByteCount(socketFile) <= MaxSocketPathBytes)
        {
            return clusterDirectory;
        }

        // sockaddr_un holds ~107 bytes: fall back to a short, stable per-cluster folder.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clusterDirectory)))[..16];
        return Path.Combine(Path.GetTempPath(), $"agent-pg-{hash}");
    }

    private static async Task<string> LocateBinDirectoryAsync(string? configured, CancellationToken cancellationToken)
    {
        if (configured is not null)
        {
            if (!File.Exists(Path.Combine(configured, "initdb")))
            {
                throw new EmbeddedPostgresException($"No initdb in the configured PostgreSQL bin directory '{configured}'");
            }

            return configured;
        }

        try
        {
            var r = await ProcessRunner.RunAsync("pg_config", ["--bindir"], null, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            var dir = r.Output.Trim();
            if (r.ExitCode == 0 && File.Exists(Path.Combine(dir, "initdb")))
            {
                return dir;
            }
        }
        catch (EmbeddedPostgresException)
        {
            // pg_config is not installed (Debian ships it in libpq-dev); fall through.
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.EnumerateDirectories(debianRoot)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(x => x.Version > 0 && File.Exists(Path.Combine(x.Dir, "bin", "initdb")))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return Path.Combine(newest.Dir, "bin");
            }
        }

        throw new EmbeddedPostgresException(
            "PostgreSQL server binaries not found (no pg_config, no /usr/lib/postgresql/N/bin/initdb): install postgresql-15 " +
            "or configure a connection string to an existing server");
    }

    private static bool IsRoot() => OperatingSystem.IsLinux() && Environment.UserName == "root";

    private static void ValidateIdentifier(string value, string name)
    {
        if (!IdentifierPattern().IsMatch(value))
        {
            throw new ArgumentException($"{name} '{value}' must match [a-z_][a-z0-9_]{{0,62}}", name);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex IdentifierPattern();

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Creating the embedded PostgreSQL cluster in {Directory}")]
    private static partial void LogInitializing(ILogger logger, string directory);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Adopted a PostgreSQL server still running on {Directory} (left over from a previous agent process)")]
    private static partial void LogAdopted(ILogger logger, string directory);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Embedded PostgreSQL ready on unix socket in {SocketDirectory}, database {Database}")]
    private static partial void LogReady(ILogger logger, string socketDirectory, string database);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "postmaster.pid names PID {Pid}, now a '{Command}' process: removing the stale file")]
    private static partial void LogForeignPid(ILogger logger, int pid, string command);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Embedded PostgreSQL on {Directory} stopped")]
    private static partial void LogStopped(ILogger logger, string directory);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Stopping embedded PostgreSQL on {Directory} failed: {Output}")]
    private static partial void LogStopFailed(ILogger logger, string directory, string output);
}
