using System.Globalization;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Host.Tests.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Xunit.Abstractions;

namespace Agent.Host.Tests.Delivery;

/// <summary>storescu -> the running agent -> rule <c>forward</c> -> DCMTK storescp, through the delivery outbox.</summary>
public sealed class ForwardSeriesIntegrationTests(ITestOutputHelper output)
{
    private const string Succeeded = "SELECT count(*)::text FROM deliveries WHERE state = 'succeeded'";

    private static int Count(IReadOnlyList<string> log, string prefix) => log.Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    [Fact]
    public async Task A_forward_rule_sends_every_instance_of_a_series_to_storescp_over_one_association_and_records_each_delivery()
    {
        await using var agent = await ForwardingAgent.StartAsync();
        await using var receiver = await DcmtkStorescp.StartAsync(agent.ReceiverFolder, port: agent.StorePort);
        var files = await agent.SendAsync();

        Assert.Equal(files, await agent.WaitForAsync(Succeeded, files));

        Assert.Equal(["forward-series|succeeded"], await agent.QueryAsync("SELECT kind || '|' || state FROM jobs"));
        var rows = await agent.QueryAsync(
            "SELECT destination || '|' || delivery_state || '|' || delivery_attempts || '|' || delivery_dimse_status || '|' || rule_name FROM forward_provenance");
        Assert.Equal(files, rows.Count);
        Assert.All(rows, r => Assert.Equal("STORE|succeeded|1|0|ct-to-store@fwd-1", r));
        Assert.Equal(files, Directory.GetFiles(receiver.Folder).Length);
        Assert.Equal(1, Count(receiver.Log, "I: Association Acknowledged"));
        Assert.Equal(files, Count(receiver.Log, "I: Received Store Request"));
    }

    [Fact]
    public async Task A_destination_that_is_down_then_up_receives_every_forwarded_instance_exactly_once()
    {
        await using var agent = await ForwardingAgent.StartAsync();
        var files = await agent.SendAsync();

        // Down: every instance's delivery fails (connection refused) at least twice and stays queued.
        Assert.Equal(2 * files, await agent.WaitForAsync("SELECT count(*)::text FROM delivery_attempts WHERE NOT succeeded", 2 * files));
        Assert.Equal(["queued"], await agent.QueryAsync("SELECT DISTINCT state FROM deliveries"));

        // Up: everything arrives, once.
        await using var receiver = await DcmtkStorescp.StartAsync(agent.ReceiverFolder, port: agent.StorePort);
        Assert.Equal(files, await agent.WaitForAsync(Succeeded, files));

        Assert.Equal([files.ToString(CultureInfo.InvariantCulture)], await agent.QueryAsync("SELECT count(*)::text FROM delivery_attempts WHERE succeeded"));
        Assert.Equal(["1"], await agent.QueryAsync("SELECT DISTINCT count(*) FILTER (WHERE succeeded)::text FROM delivery_attempts GROUP BY delivery_id"));
        Assert.Equal(files, Count(receiver.Log, "I: Received Store Request"));
        Assert.Equal(1, Count(receiver.Log, "I: Association Acknowledged"));
        Assert.Equal(files, Directory.GetFiles(receiver.Folder).Length);
    }

    [Fact]
    public async Task A_500_instance_series_is_forwarded_over_one_association_not_500()
    {
        await using var agent = await ForwardingAgent.StartAsync(smallInstances: 500);
        await using var receiver = await DcmtkStorescp.StartAsync(agent.ReceiverFolder, port: agent.StorePort);
        await agent.SendAsync();

        Assert.Equal(500, await agent.WaitForAsync(Succeeded, 500));

        Assert.Equal(1, Count(receiver.Log, "I: Association Acknowledged"));
        Assert.Equal(500, Count(receiver.Log, "I: Received Store Request"));
        var seconds = await agent.QueryAsync(
            "SELECT round(extract(epoch FROM (SELECT max(finished_at) FROM deliveries) - (SELECT finished_at FROM jobs WHERE kind = 'forward-series'))::numeric, 2)::text");
        output.WriteLine($"500 instances forwarded {seconds[0]} s after the forward job finished");
    }

    /// <summary>An in-process agent whose rule forwards CT series to destination STORE (a loopback port nobody serves yet).</summary>
    private sealed class ForwardingAgent : IAsyncDisposable
    {
        // Complete when every file sent has arrived, however slowly a busy machine delivers them: with a quiet period
        // alone, a pause longer than it (seen under load) completed the series early and left the rest unforwarded.
        private static string Rules(int expected) => $$"""
            version: "fwd-1"
            defaults: {quiet_seconds: 600}
            rules:
              - name: ct-to-store
                match: {Modality: CT}
                completion: {expected_count: {{expected}}}
                actions: [forward: [STORE]]
            """;

        private readonly TempHome _home;
        private readonly IHost _host;
        private readonly string[] _files;
        private NpgsqlConnection? _connection;

        private ForwardingAgent(TempHome home, IHost host, string[] files, int storePort)
        {
            _home = home;
            _host = host;
            _files = files;
            StorePort = storePort;
        }

        public int StorePort { get; }

        public string ReceiverFolder => Path.Combine(_home.Path, "received");

        /// <param name="smallInstances">Send that many small CT instances instead of ThreeSeriesStudy's phantom abdomen.</param>
        public static async Task<ForwardingAgent> StartAsync(int? smallInstances = null)
        {
            var home = new TempHome();
            string[] files = smallInstances is { } n
                ? [.. TestInstances.WriteSeries(Path.Combine(home.Path, "send"), n)]
                : Directory.GetFiles(Path.Combine((await ThreeSeriesStudy.CreateAsync(Path.Combine(home.Path, "send"), CancellationToken.None)).Folder, "abdomen"), "*.dcm");
            Directory.CreateDirectory(Path.Combine(home.Path, "config"));
            await File.WriteAllTextAsync(Path.Combine(home.Path, "config", "rules.yaml"), Rules(files.Length));
            var port = DcmtkStorescp.FreePort();
            var configuration = AgentConfiguration.Build(home.Path, null, new Dictionary<string, string?>
            {
                ["AGENT__Dicom__Port"] = "0",
                ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
                ["AGENT__Jobs__PollSeconds"] = "1",
                ["AGENT__Destinations__STORE__AeTitle"] = "STORESCP",
                ["AGENT__Destinations__STORE__Host"] = "127.0.0.1",
                ["AGENT__Destinations__STORE__Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["AGENT__Destinations__STORE__BaseDelaySeconds"] = "1",
                ["AGENT__Destinations__STORE__MaxDelaySeconds"] = "1",
                ["AGENT__Destinations__STORE__ConnectTimeoutSeconds"] = "2",
                ["AGENT__Destinations__STORE__MaxAttempts"] = "100",
            });
            var host = AgentHostFactory.Build(configuration, AgentSettings.From(configuration, home.Path));
            await host.StartAsync();
            return new ForwardingAgent(home, host, files, port);
        }

        /// <summary>storescu sends the series to the agent; returns how many files.</summary>
        public async Task<int> SendAsync()
        {
            var storescu = Storescu.Start(_host.Services.GetRequiredService<DicomServerService>().Port, "MODALITY1", _files);
            Assert.Equal(0, await storescu.WaitAsync(TimeSpan.FromMinutes(3)));
            return _files.Length;
        }

        public async Task<List<string>> QueryAsync(string sql)
        {
            _connection ??= await _host.Services.GetRequiredService<DatabaseAccess>().DataSource.OpenConnectionAsync();
            return await ClusterQuery.StringsAsync(_connection, sql);
        }

        /// <summary>Waits until <paramref name="countSql"/> reaches <paramref name="expected"/> (the agent works asynchronously), at most 5 min.</summary>
        public async Task<int> WaitForAsync(string countSql, int expected)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
            int count;
            while ((count = int.Parse((await QueryAsync(countSql))[0], CultureInfo.InvariantCulture)) < expected && DateTime.UtcNow < deadline)
                await Task.Delay(200);
            return count;
        }

        public async ValueTask DisposeAsync()
        {
            if (_connection is not null) await _connection.DisposeAsync();
            await _host.StopAsync();
            _host.Dispose();
            _home.Dispose();
        }
    }
}
