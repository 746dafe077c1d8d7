using Agent.Storage.Migrations;
using Npgsql;

namespace Agent.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresFixture pg)
{
    [Fact]
    public async Task Migrations_are_copied_to_the_output_folder_and_ordered()
    {
        var scripts = MigrationRunner.Load(MigrationRunner.DefaultDirectory);
        Assert.NotEmpty(scripts);
        Assert.Equal("0001", scripts[0].Version);
        Assert.Equal(scripts.Select(s => s.Version).Order(StringComparer.Ordinal), scripts.Select(s => s.Version));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Migrations_apply_once_and_a_second_run_applies_nothing()
    {
        var cs = await pg.CreateDatabaseAsync(nameof(Migrations_apply_once_and_a_second_run_applies_nothing), migrate: false);
        var first = await MigrationRunner.ApplyAsync(cs, null, null, CancellationToken.None);
        var second = await MigrationRunner.ApplyAsync(cs, null, null, CancellationToken.None);

        Assert.Equal(MigrationRunner.Load(MigrationRunner.DefaultDirectory).Select(s => s.Version), first);
        Assert.Empty(second);
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM schema_migrations", conn);
        Assert.Equal((long)first.Count, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Concurrent_runners_apply_each_migration_exactly_once()
    {
        var cs = await pg.CreateDatabaseAsync(nameof(Concurrent_runners_apply_each_migration_exactly_once), migrate: false);
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => MigrationRunner.ApplyAsync(cs, null, null, CancellationToken.None))));

        var all = runs.SelectMany(r => r).ToList();
        Assert.Equal(all.Distinct().Count(), all.Count);
        Assert.Equal(MigrationRunner.Load(MigrationRunner.DefaultDirectory).Count, all.Count);
    }

    [Fact]
    public async Task An_applied_migration_whose_file_changed_is_refused()
    {
        var cs = await pg.CreateDatabaseAsync(nameof(An_applied_migration_whose_file_changed_is_refused), migrate: false);
        var dir = Path.Combine(pg.Root, "edited-migrations");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "0001_first.sql"), "CREATE TABLE a (x int);");
        await MigrationRunner.ApplyAsync(cs, dir, null, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(dir, "0001_first.sql"), "CREATE TABLE a (x bigint);");

        var ex = await Assert.ThrowsAsync<MigrationException>(() => MigrationRunner.ApplyAsync(cs, dir, null, CancellationToken.None));
        Assert.Contains("0001_first.sql was changed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_and_is_not_recorded()
    {
        var cs = await pg.CreateDatabaseAsync(nameof(A_failing_migration_rolls_back_and_is_not_recorded), migrate: false);
        var dir = Path.Combine(pg.Root, "failing-migrations");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "0001_ok.sql"), "CREATE TABLE ok (x int);");
        await File.WriteAllTextAsync(Path.Combine(dir, "0002_bad.sql"), "CREATE TABLE half (x int); SELECT no_such_function();");

        var ex = await Assert.ThrowsAsync<MigrationException>(() => MigrationRunner.ApplyAsync(cs, dir, null, CancellationToken.None));

        Assert.Contains("0002_bad.sql failed", ex.Message, StringComparison.Ordinal);
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT string_agg(version, ',') FROM schema_migrations; ", conn);
        Assert.Equal("0001", await cmd.ExecuteScalarAsync());
        await using var half = new NpgsqlCommand("SELECT to_regclass('half') IS NULL", conn);
        Assert.Equal(true, await half.ExecuteScalarAsync());
    }
}
