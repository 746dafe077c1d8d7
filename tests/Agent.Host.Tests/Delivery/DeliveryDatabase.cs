using Agent.Storage.Embedded;
using Agent.Storage.Migrations;
using Agent.Storage.Provenance;
using Npgsql;

namespace Agent.Host.Tests.Delivery;

/// <summary>A throw-away embedded PostgreSQL with the agent's schema, in its own temp folder.</summary>
internal sealed class DeliveryDatabase : IAsyncDisposable
{
    private EmbeddedPostgres? _server;

    public string Root { get; } = CreateRoot();
    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";

    public static async Task<DeliveryDatabase> StartAsync()
    {
        var db = new DeliveryDatabase();
        db._server = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { ClusterDirectory = Path.Combine(db.Root, "pg"), Durable = false }, null, CancellationToken.None);
        await db._server.CreateDatabaseAsync("delivery", CancellationToken.None);
        var cs = db._server.ConnectionStringFor("delivery");
        await MigrationRunner.ApplyAsync(cs, null, null, CancellationToken.None);
        db.DataSource = NpgsqlDataSource.Create(cs);
        db.ConnectionString = cs;
        return db;
    }

    public async Task<long> RecordOutputAsync(string kind, string sopClass, string sopInstance, string? path) =>
        await new OutputRepository(DataSource).RecordAsync(new OutputRecord
        {
            Kind = kind, SopClassUid = sopClass, SopInstanceUid = sopInstance, SeriesInstanceUid = sopInstance + ".1", StudyInstanceUid = "1.2.3", FilePath = path,
        }, CancellationToken.None);

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return await cmd.ExecuteScalarAsync();
    }

    private static string CreateRoot()
    {
        var root = Directory.CreateTempSubdirectory("agent-delivery-").FullName;
        // The embedded server runs as 'postgres' when we are root: it must be able to traverse this folder.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return root;
    }

    public async ValueTask DisposeAsync()
    {
        if (DataSource is not null) await DataSource.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
