using Agent.Storage.Queue;

namespace Agent.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class AgentDatabaseTests(PostgresFixture pg)
{
    [Fact]
    public async Task With_a_connection_string_the_configured_server_is_migrated_and_used()
    {
        var cs = await pg.CreateDatabaseAsync(nameof(With_a_connection_string_the_configured_server_is_migrated_and_used), migrate: false);

        await using var db = await AgentDatabase.OpenAsync(new AgentDatabaseOptions { ConnectionString = cs }, null, default);

        Assert.Null(db.Embedded);
        Assert.NotEmpty(db.AppliedMigrations);
        Assert.True((await new JobQueue(db.DataSource).EnqueueAsync(new JobRequest { Kind = "k", IdempotencyKey = "x" }, default)).Created);
    }

    [Fact]
    public async Task Without_a_connection_string_an_embedded_cluster_is_created_under_the_data_folder()
    {
        var root = PostgresFixture.CreateRoot();
        try
        {
            await using (var db = await AgentDatabase.OpenAsync(new AgentDatabaseOptions { DataDirectory = root, FastEmbeddedInit = true }, null, default))
            {
                Assert.NotNull(db.Embedded);
                Assert.True(File.Exists(Path.Combine(root, "postgres", "PG_VERSION")));
                await new JobQueue(db.DataSource).EnqueueAsync(new JobRequest { Kind = "k", IdempotencyKey = "kept" }, default);
            }

            await using var reopened = await AgentDatabase.OpenAsync(new AgentDatabaseOptions { DataDirectory = root, FastEmbeddedInit = true }, null, default);
            Assert.Empty(reopened.AppliedMigrations);
            Assert.False((await new JobQueue(reopened.DataSource).EnqueueAsync(new JobRequest { Kind = "k", IdempotencyKey = "kept" }, default)).Created);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Neither_a_connection_string_nor_a_data_folder_is_a_clear_error()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => AgentDatabase.OpenAsync(new AgentDatabaseOptions(), null, default));
        Assert.Contains("data directory", ex.Message, StringComparison.Ordinal);
    }
}
