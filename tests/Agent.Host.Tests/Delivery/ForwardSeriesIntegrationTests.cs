using Xunit.Abstractions;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Host.Tests.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Agent.Host.Tests.Delivery;

/// <summary>storescu -> the running agent -> rule <c>forward</c> -> DCMTK storescp, through the delivery outbox.</summary>
public sealed class ForwardSeriesIntegrationTests(ITestOutputHelper output)
{
    private const string Rules = """
        version: "fwd-1"
        defaults: {quiet_seconds: 1}
        rules:
          - name: ct-to-store
            match: {Modality: CT}
            actions: [forward: [STORE]]
        """;

    // The series to send: the phantom CT of ThreeSeriesStudy, or that many small CT instances.
    private static async Task<(TempHome Home, IHost Host, string[] Files)> StartAgentAsync(int storePort, int? smallInstances = null)
    {
        var home = new TempHome();
        string[] files;
        if (smallInstances is { } n)
        {
            files = [.. TestInstances.WriteSeries(Path.Combine(home.Path, "send"), n)];
        }
        else
        {
            var study = await ThreeSeriesStudy.CreateAsync(Path.Combine(home.Path, "send"), CancellationToken.None);
            files = Directory.GetFiles(Path.Combine(study.Folder, "abdomen"), "*.dcm");
        }
        Directory.CreateDirectory(Path.Combine(home.Path, "config"));
        await File.WriteAllTextAsync(Path.Combine(home.Path, "config", "rules.yaml"), Rules);
        var configuration = AgentConfiguration.Build(home.Path, null, new Dictionary<string, string?>
        {
            ["AGENT__Dicom__Port"] = "0",
            ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
            ["AGENT__Jobs__PollSeconds"] = "1",
            ["AGENT__Destinations__STORE__AeTitle"] = "STORESCP",
            ["AGENT__Destinations__STORE__Host"] = "127.0.0.1",
            ["AGENT__Destinations__STORE__Port"] = storePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AGENT__Destinations__STORE__BaseDelaySeconds"] = "1",
            ["AGENT__Destinations__STORE__MaxDelaySeconds"] = "1",
            ["AGENT__Destinations__STORE__ConnectTimeoutSeconds"] = "2",
            ["AGENT__Destinations__STORE__MaxAttempts"] = "100",
        });
        var host = AgentHostFactory.Build(configuration, AgentSettings.From(configuration, home.Path));
        await host.StartAsync();
        return (home, host, files);
    }

    private static async Task SendAsync(IHost host, string[] files)
    {
        var storescu = Storescu.Start(host.Services.GetRequiredService<DicomServerService>().Port, "MODALITY1", files);
        Assert.Equal(0, await storescu.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    // Waits for the agent's asynchronous work (quiet period, job, outbox) to reach a state, or gives up after 60 s.
    private static async Task<long> WaitForAsync(NpgsqlConnection connection, string countSql, long expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        long count;
        while ((count = long.Parse((await ClusterQuery.StringsAsync(connection, countSql))[0], System.Globalization.CultureInfo.InvariantCulture)) < expected
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        return count;
    }

    private static int Count(IReadOnlyList<string> log, string prefix) => log.Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    [Fact]
    public async Task A_forward_rule_sends_every_instance_of_a_series_to_storescp_over_one_association_and_records_each_delivery()
    {
        var port = DcmtkStorescp.FreePort();
        var (home, host, files) = await StartAgentAsync(port);
        using (home)
        using (host)
        {
            await using var receiver = await DcmtkStorescp.StartAsync(Path.Combine(home.Path, "received"), port: port);
            try
            {
                await SendAsync(host, files);
                var database = host.Services.GetRequiredService<DatabaseAccess>();
                await using var connection = await database.DataSource.OpenConnectionAsync();

                Assert.Equal(files.Length, await WaitForAsync(connection, "SELECT count(*)::text FROM deliveries WHERE state = 'succeeded'", files.Length));

                Assert.Equal(["forward-series|succeeded"], await ClusterQuery.StringsAsync(connection, "SELECT kind || '|' || state FROM jobs"));
                var rows = await ClusterQuery.StringsAsync(connection,
                    "SELECT destination || '|' || delivery_state || '|' || delivery_attempts || '|' || delivery_dimse_status || '|' || rule_name FROM forward_provenance");
                Assert.Equal(files.Length, rows.Count);
                Assert.All(rows, r => Assert.Equal("STORE|succeeded|1|0|ct-to-store@fwd-1", r));
                Assert.Equal(files.Length, Directory.GetFiles(receiver.Folder).Length);
                var log = receiver.Log;
                Assert.Equal(1, Count(log, "I: Association Acknowledged"));
                Assert.Equal(files.Length, Count(log, "I: Received Store Request"));
            }
            finally
            {
                await host.StopAsync();
            }
        }
    }

    [Fact]
    public async Task A_destination_that_is_down_then_up_receives_every_forwarded_instance_exactly_once()
    {
        var port = DcmtkStorescp.FreePort();
        var (home, host, files) = await StartAgentAsync(port);
        using (home)
        using (host)
        {
            try
            {
                await SendAsync(host, files);
                var database = host.Services.GetRequiredService<DatabaseAccess>();
                await using var connection = await database.DataSource.OpenConnectionAsync();

                // Down: every instance's delivery fails (connection refused) at least twice and stays queued.
                Assert.Equal(2L * files.Length, await WaitForAsync(connection, "SELECT count(*)::text FROM delivery_attempts WHERE NOT succeeded", 2L * files.Length));
                Assert.Equal(["queued"], await ClusterQuery.StringsAsync(connection, "SELECT DISTINCT state FROM deliveries"));

                // Up: everything arrives, once.
                await using var receiver = await DcmtkStorescp.StartAsync(Path.Combine(home.Path, "received"), port: port);
                Assert.Equal(files.Length, await WaitForAsync(connection, "SELECT count(*)::text FROM deliveries WHERE state = 'succeeded'", files.Length));

                Assert.Equal([files.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                    await ClusterQuery.StringsAsync(connection, "SELECT count(*)::text FROM delivery_attempts WHERE succeeded"));
                Assert.Equal(["1"], await ClusterQuery.StringsAsync(connection,
                    "SELECT DISTINCT count(*) FILTER (WHERE succeeded)::text FROM delivery_attempts GROUP BY delivery_id"));
                var log = receiver.Log;
                Assert.Equal(files.Length, Count(log, "I: Received Store Request"));
                Assert.Equal(1, Count(log, "I: Association Acknowledged"));
                Assert.Equal(files.Length, Directory.GetFiles(receiver.Folder).Length);
            }
            finally
            {
                await host.StopAsync();
            }
        }
    }

    [Fact]
    public async Task A_500_instance_series_is_forwarded_over_one_association_not_500()
    {
        var port = DcmtkStorescp.FreePort();
        var (home, host, files) = await StartAgentAsync(port, smallInstances: 500);
        using (home)
        using (host)
        {
            await using var receiver = await DcmtkStorescp.StartAsync(Path.Combine(home.Path, "received"), port: port);
            try
            {
                await SendAsync(host, files);
                var database = host.Services.GetRequiredService<DatabaseAccess>();
                await using var connection = await database.DataSource.OpenConnectionAsync();

                Assert.Equal(500, await WaitForAsync(connection, "SELECT count(*)::text FROM deliveries WHERE state = 'succeeded'", 500));

                var log = receiver.Log;
                Assert.Equal(1, Count(log, "I: Association Acknowledged"));
                Assert.Equal(500, Count(log, "I: Received Store Request"));
                var seconds = await ClusterQuery.StringsAsync(connection,
                    "SELECT round(extract(epoch FROM (SELECT max(finished_at) FROM deliveries) - (SELECT finished_at FROM jobs WHERE kind = 'forward-series'))::numeric, 2)::text");
                output.WriteLine($"500 instances forwarded {seconds[0]} s after the forward job finished");
            }
            finally
            {
                await host.StopAsync();
            }
        }
    }
}
