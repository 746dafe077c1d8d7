using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Agent.Host.Tests;

/// <summary>The agent as users run it, against DCMTK as the sender and a real (embedded) PostgreSQL.</summary>
public sealed class ServeIntegrationTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Instances_sent_by_storescu_are_on_disk_and_indexed_and_the_association_is_recorded()
    {
        using var home = new TempHome();
        var files = TestInstances.WriteSeries(Path.Combine(home.Path, "send"), 5);
        var configuration = AgentConfiguration.Build(home.Path, null, new Dictionary<string, string?> { ["AGENT__Dicom__Port"] = "0", ["AGENT__Dicom__BindAddress"] = "127.0.0.1" });
        var settings = AgentSettings.From(configuration, home.Path);
        using var host = AgentHostFactory.Build(configuration, settings);
        await host.StartAsync();
        try
        {
            var port = host.Services.GetRequiredService<DicomServerService>().Port;
            var storescu = Storescu.Start(port, "MODALITY1", files);
            Assert.Equal(0, await storescu.WaitAsync(TimeSpan.FromMinutes(3)));
            Assert.Equal(files, storescu.Acknowledged);

            var sops = files.Select(TestInstances.SopInstanceUid).Order(StringComparer.Ordinal).ToList();
            var onDisk = Directory.GetFiles(Path.Combine(home.Path, "data", "instances"), "*.dcm", SearchOption.AllDirectories)
                .Select(p => Path.GetFileNameWithoutExtension(p)!).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(sops, onDisk);

            var database = host.Services.GetRequiredService<DatabaseAccess>();
            await using var connection = await database.DataSource.OpenConnectionAsync();
            var indexed = await ClusterQuery.StringsAsync(connection, "SELECT sop_instance_uid FROM instances ORDER BY sop_instance_uid COLLATE \"C\"");
            Assert.Equal(sops, indexed);
            var modality = await ClusterQuery.StringsAsync(connection, "SELECT DISTINCT s.modality FROM series s");
            Assert.Equal(["CT"], modality);

            // The association's end record is written when the server reports it closed, just after storescu exits.
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            List<string> association;
            do
            {
                association = await ClusterQuery.StringsAsync(connection,
                    "SELECT calling_ae || '|' || called_ae || '|' || instances_received || '|' || coalesce(end_reason, 'open') FROM associations");
                if (association is [{ } row] && !row.EndsWith("open", StringComparison.Ordinal)) break;
                await Task.Delay(100);
            } while (DateTime.UtcNow < deadline);
            Assert.Equal(["MODALITY1|AGENT|5|released"], association);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Serve_on_a_fresh_home_with_no_configuration_starts_an_embedded_database_and_prints_where_it_listens()
    {
        using var home = new TempHome();
        // Everything default except the port: 11112 may be taken by another test run on this machine.
        await using var agent = AgentProcess.Start(home.Path, new Dictionary<string, string> { ["AGENT__Dicom__Port"] = "0" });
        var port = await agent.ListeningPortAsync(StartTimeout);
        Assert.Contains("Listening for DICOM on 0.0.0.0:", agent.Output, StringComparison.Ordinal);
        Assert.Contains("as AE title AGENT", agent.Output, StringComparison.Ordinal);
        Assert.Contains($"Data folder {Path.Combine(home.Path, "data")}", agent.Output, StringComparison.Ordinal);
        Assert.Contains($"embedded PostgreSQL in {Path.Combine(home.Path, "data", "postgres")}", agent.Output, StringComparison.Ordinal);

        using var echoscu = System.Diagnostics.Process.Start("echoscu", ["-aec", "AGENT", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await echoscu.WaitForExitAsync();
        Assert.Equal(0, echoscu.ExitCode);

        Assert.Equal(0, await agent.StopAsync(TimeSpan.FromMinutes(3)));
        Assert.Contains("stopped", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_an_invalid_configuration_prints_each_error_and_exits_with_failure()
    {
        using var home = new TempHome();
        await using var agent = AgentProcess.Start(home.Path, new Dictionary<string, string>
        {
            ["AGENT__Dicom__Port"] = "70000",
            ["AGENT__Storage__MinFreeSpaceMB"] = "lots",
        });
        Assert.Equal(1, await agent.WaitForExitAsync(TimeSpan.FromMinutes(2)));
        Assert.Contains("Agent:Dicom:Port must be 1-65535", agent.Output, StringComparison.Ordinal);
        Assert.Contains("Agent:Storage:MinFreeSpaceMB must be an integer, got 'lots'", agent.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(home.Path, "data")));
    }
}
