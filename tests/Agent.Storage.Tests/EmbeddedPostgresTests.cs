using System.Diagnostics;
using System.Globalization;
using Agent.Storage.Embedded;
using Agent.Storage.Migrations;
using Agent.Storage.Queue;
using Npgsql;

namespace Agent.Storage.Tests;

/// <summary>Each test runs its own small cluster (not the shared fixture), because they stop, kill and restart it.</summary>
public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string _root = PostgresFixture.CreateRoot();

    private EmbeddedPostgresOptions Options(string? cluster = null, bool durable = false) => new()
    {
        ClusterDirectory = cluster ?? Path.Combine(_root, "pg"),
        Durable = durable,
        InitWithoutSync = true,
    };

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task First_start_creates_the_cluster_and_the_database_and_a_restart_keeps_the_data()
    {
        await using (var first = await EmbeddedPostgres.StartAsync(Options(), null, CancellationToken.None))
        {
            Assert.True(first.CreatedCluster);
            await ExecAsync(first.ConnectionString, "CREATE TABLE kept (x int); INSERT INTO kept VALUES (42);");
        }

        await using var second = await EmbeddedPostgres.StartAsync(Options(), null, CancellationToken.None);
        Assert.False(second.CreatedCluster);
        Assert.False(second.AdoptedRunningServer);
        Assert.Equal(42, await ScalarAsync(second.ConnectionString, "SELECT x FROM kept"));
    }

    [Fact]
    public async Task The_server_listens_on_a_unix_socket_only()
    {
        await using var pg = await EmbeddedPostgres.StartAsync(Options(), null, CancellationToken.None);

        Assert.Equal(Path.Combine(_root, "pg"), pg.SocketDirectory);
        Assert.True(File.Exists(Path.Combine(pg.SocketDirectory, ".s.PGSQL.5432.lock")));
        Assert.Equal(string.Empty, await ScalarAsync(pg.ConnectionString, "SELECT current_setting('listen_addresses')"));
    }

    [Fact]
    public async Task A_server_left_running_by_a_killed_agent_is_adopted_and_stopped_on_dispose()
    {
        // The first instance is never disposed: like an agent killed with SIGKILL, its postmaster keeps running.
        var orphan = await EmbeddedPostgres.StartAsync(Options(), null, CancellationToken.None);
        await ExecAsync(orphan.ConnectionString, "CREATE TABLE t (x int); INSERT INTO t VALUES (7);");
        var pid = ReadPostmasterPid();

        await using (var adopted = await EmbeddedPostgres.StartAsync(Options(), null, CancellationToken.None))
        {
            Assert.True(adopted.AdoptedRunningServer);
            Assert.Equal(pid, ReadPostmasterPid());
            Assert.Equal(7, await ScalarAsync(adopted.ConnectionString, "SELECT x FROM t"));
        }

        Assert.False(File.Exists(Path.Combine(_root, "pg", "postmaster.pid")));
    }

    [Fact]
    public async Task A_server_killed_with_sigkill_restarts_over_its_stale_pid_file_with_every_committed_queue_state()
    {
        // Durable: a non-durable server (synchronous_commit off) may lose the last commits on a crash, by design.
        var killed = await EmbeddedPostgres.StartAsync(Options(durable: true), null, CancellationToken.None);
        await MigrationRunner.ApplyAsync(killed.ConnectionString, null, null, CancellationToken.None);
        long running;
        await using (var ds = NpgsqlDataSource.Create(killed.ConnectionString))
        {
            var queue = new JobQueue(ds);
            for (var i = 0; i < 10; i++)
            {
                await queue.EnqueueAsync(new JobRequest { Kind = "segment", IdempotencyKey = $"k{i}" }, default);
            }

            for (var i = 0; i < 3; i++)
            {
                Assert.True(await queue.CompleteAsync((await queue.TryLeaseAsync("w", TimeSpan.FromMinutes(5), null, default))!, null, default));
            }

            running = (await queue.TryLeaseAsync("w", TimeSpan.FromMinutes(5), null, default))!.Id;
        }

        var pid = ReadPostmasterPid();
        using (var p = Process.GetProcessById(pid))
        {
            p.Kill();
            await p.WaitForExitAsync();
        }

        NpgsqlConnection.ClearAllPools();
        Assert.True(File.Exists(Path.Combine(_root, "pg", "postmaster.pid")));

        await using var restarted = await EmbeddedPostgres.StartAsync(Options(durable: true), null, CancellationToken.None);
        Assert.False(restarted.AdoptedRunningServer);
        Assert.NotEqual(pid, ReadPostmasterPid());
        Assert.Equal(
            "queued:6,running:1,succeeded:3",
            await ScalarAsync(restarted.ConnectionString, "SELECT string_agg(state || ':' || n, ',' ORDER BY state) FROM (SELECT state, count(*) n FROM jobs GROUP BY state) s"));
        Assert.Equal(running, await ScalarAsync(restarted.ConnectionString, "SELECT id FROM jobs WHERE state = 'running'"));
    }

    [Fact]
    public async Task A_postmaster_pid_naming_an_unrelated_live_process_is_removed_and_the_server_starts()
    {
        await (await EmbeddedPostgres.StartAsync(Options(), null, CancellationToken.None)).DisposeAsync();
        // After a kill -9 and a reboot the old PID may belong to anything; worst case, a process of the server's own
        // OS user (pg_ctl then believes the server is running). Here: a 'sleep' run as that user.
        var foreignPid = await StartSleepAsServerUserAsync();
        try
        {
            var pidFile = Path.Combine(_root, "pg", "postmaster.pid");
            await File.WriteAllTextAsync(pidFile, $"{foreignPid}\n{Path.Combine(_root, "pg")}\n0\n5432\n\n\n");

            await using var pg = await EmbeddedPostgres.StartAsync(Options(), null, CancellationToken.None);

            Assert.False(pg.AdoptedRunningServer);
            Assert.NotEqual(foreignPid, ReadPostmasterPid());
            Assert.Equal(1, await ScalarAsync(pg.ConnectionString, "SELECT 1"));
        }
        finally
        {
            using var sleeper = Process.GetProcessById(foreignPid);
            sleeper.Kill();
        }
    }

    private static async Task<int> StartSleepAsServerUserAsync()
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        if (Environment.UserName == "root")
        {
            psi.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--" })
            {
                psi.ArgumentList.Add(a);
            }
        }
        else
        {
            psi.FileName = "sh";
        }

        if (psi.FileName == "runuser")
        {
            psi.ArgumentList.Add("sh");
        }

        // The background sleep outlives the shell; its stdout is detached so reading the PID line does not wait for it.
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("sleep 300 >/dev/null 2>&1 & echo $!");
        using var p = Process.Start(psi)!;
        var line = await p.StandardOutput.ReadLineAsync();
        await p.WaitForExitAsync();
        return int.Parse(line!, CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_cluster_path_too_long_for_a_socket_gets_a_short_socket_folder()
    {
        var deep = Path.Combine(_root, new string('d', 60), new string('e', 40), "pg");
        Directory.CreateDirectory(Path.GetDirectoryName(deep)!);
        foreach (var dir in new[] { Path.Combine(_root, new string('d', 60)), Path.GetDirectoryName(deep)! })
        {
            File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
        }

        await using var pg = await EmbeddedPostgres.StartAsync(Options(deep), null, CancellationToken.None);

        Assert.StartsWith(Path.GetTempPath(), pg.SocketDirectory, StringComparison.Ordinal);
        Assert.Equal(1, await ScalarAsync(pg.ConnectionString, "SELECT 1"));
        await pg.StopAsync(CancellationToken.None);
        Assert.False(Directory.Exists(pg.SocketDirectory));
    }

    [Fact]
    public async Task A_non_empty_folder_without_a_cluster_is_refused()
    {
        var dir = Path.Combine(_root, "pg");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "precious.txt"), "do not overwrite");

        var ex = await Assert.ThrowsAsync<EmbeddedPostgresException>(() => EmbeddedPostgres.StartAsync(Options(), null, CancellationToken.None));
        Assert.Contains("not empty", ex.Message, StringComparison.Ordinal);
    }

    private int ReadPostmasterPid() =>
        int.Parse(File.ReadLines(Path.Combine(_root, "pg", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    private static async Task ExecAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }
}
