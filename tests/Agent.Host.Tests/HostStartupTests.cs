using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Agent.Host.Tests;

public sealed class HostStartupTests
{
    [Fact]
    public async Task With_no_connection_string_the_host_runs_an_embedded_database_with_migrations_applied()
    {
        using var home = new TempHome();
        var configuration = AgentConfiguration.Build(home.Path, null, new Dictionary<string, string?>());
        var settings = AgentSettings.From(configuration, home.Path);
        using var host = AgentHostFactory.Build(configuration, settings);
        await host.StartAsync();
        try
        {
            var database = host.Services.GetRequiredService<DatabaseAccess>();
            Assert.Contains(Path.Combine(home.Path, "data", "postgres"), database.Description, StringComparison.Ordinal);
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM schema_migrations", connection);
            Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
            Assert.True(Directory.Exists(Path.Combine(home.Path, "data", "instances")));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
