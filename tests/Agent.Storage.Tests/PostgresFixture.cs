using System.Globalization;
using Agent.Storage.Embedded;
using Agent.Storage.Migrations;

namespace Agent.Storage.Tests;

/// <summary>One embedded PostgreSQL cluster for the whole test project; each test class takes a fresh database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private int _databaseCounter;

    public string Root { get; } = CreateRoot();

    public EmbeddedPostgres Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions
            {
                ClusterDirectory = Path.Combine(Root, "pg"),
                // Throw-away cluster: no fsync, so the suite stays fast on a shared disk.
                Durable = false,
                Settings = new Dictionary<string, string> { ["max_connections"] = "200" },
            },
            null,
            CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>Creates an empty database named after the test class (plus a counter) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string owner, bool migrate = true)
    {
        var n = Interlocked.Increment(ref _databaseCounter);
        var name = string.Create(CultureInfo.InvariantCulture, $"t{n}_{new string(owner.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(40).ToArray())}");
        await Server.CreateDatabaseAsync(name, CancellationToken.None);
        var cs = Server.ConnectionStringFor(name);
        if (migrate)
        {
            await MigrationRunner.ApplyAsync(cs, null, null, CancellationToken.None);
        }

        return cs;
    }

    internal static string CreateRoot()
    {
        var dir = Directory.CreateTempSubdirectory("agent-storage-tests-").FullName;
        // Running as root the server runs as 'postgres', which must be able to traverse this folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return dir;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
