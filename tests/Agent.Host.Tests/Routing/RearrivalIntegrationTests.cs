using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Host.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Host.Tests.Routing;

public sealed class RearrivalIntegrationTests
{
    [Fact]
    public async Task Instances_arriving_after_routing_rerun_the_pipeline_once_with_supersede_and_the_decision_says_so()
    {
        using var home = new TempHome();
        var study = await ThreeSeriesStudy.CreateAsync(Path.Combine(home.Path, "send"), CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(home.Path, "config"));
        await File.WriteAllTextAsync(Path.Combine(home.Path, "config", "rules.yaml"), """
            version: "re-1"
            defaults: {quiet_seconds: 1}
            rules:
              - name: ct-abdomen
                match: {Modality: CT, BodyPartExamined: ABDOMEN}
                completion: {on_rearrival: rerun_supersede}
                actions: [run: abdomen-ct]
            """);
        var configuration = AgentConfiguration.Build(home.Path, null, new Dictionary<string, string?>
        {
            ["AGENT__Dicom__Port"] = "0",
            ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
            ["AGENT__Jobs__Workers"] = "0",
        });
        using var host = AgentHostFactory.Build(configuration, AgentSettings.From(configuration, home.Path));
        await host.StartAsync();
        try
        {
            var completion = host.Services.GetRequiredService<SeriesCompletionService>();
            var routed = System.Threading.Channels.Channel.CreateUnbounded<RouteAttempt.Routed>();
            completion.Routed += (_, r) => routed.Writer.TryWrite(r);
            var port = host.Services.GetRequiredService<DicomServerService>().Port;
            var files = Directory.GetFiles(Path.Combine(study.Folder, "abdomen"), "*.dcm").Order(StringComparer.Ordinal).ToArray();
            var half = files.Length / 2;

            Assert.Equal(0, await Storescu.Start(port, "MODALITY1", files[..half]).WaitAsync(TimeSpan.FromMinutes(3)));
            var first = await routed.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(3));
            Assert.False(first.Rearrival);
            Assert.Equal(0, await Storescu.Start(port, "MODALITY1", files[half..]).WaitAsync(TimeSpan.FromMinutes(3)));
            var second = await routed.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(3));
            Assert.True(second.Rearrival);

            var database = host.Services.GetRequiredService<DatabaseAccess>();
            await using var connection = await database.DataSource.OpenConnectionAsync();
            var jobs = await ClusterQuery.StringsAsync(connection, "SELECT idempotency_key || '|' || (payload->>'Supersede') FROM jobs ORDER BY id");
            Assert.Equal([$"segment:{study.AbdomenUid}:abdomen-ct|false", $"segment:{study.AbdomenUid}:abdomen-ct:rerun1|true"], jobs);
            var summaries = await ClusterQuery.StringsAsync(connection, "SELECT reason FROM rule_decisions WHERE rule_name = '(routing)@re-1' ORDER BY id");
            Assert.Equal([$"{half} instance(s); fired: ct-abdomen", $"re-arrival #1: {files.Length} instance(s); fired: ct-abdomen"], summaries);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
