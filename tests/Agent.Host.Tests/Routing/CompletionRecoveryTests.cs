using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Host.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Host.Tests.Routing;

public sealed class CompletionRecoveryTests
{
    [Fact]
    public async Task A_series_received_before_a_restart_is_routed_after_it_from_the_index()
    {
        using var home = new TempHome();
        var study = await ThreeSeriesStudy.CreateAsync(Path.Combine(home.Path, "send"), CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(home.Path, "config"));
        await File.WriteAllTextAsync(Path.Combine(home.Path, "config", "rules.yaml"), """
            version: "rec-1"
            defaults: {quiet_seconds: 1}
            rules:
              - name: ct-abdomen
                match: {Modality: CT, BodyPartExamined: ABDOMEN}
                actions: [run: abdomen-ct]
            """);
        Dictionary<string, string?> Environment(bool routing) => new()
        {
            ["AGENT__Dicom__Port"] = "0",
            ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
            ["AGENT__Jobs__Workers"] = "0",
            ["AGENT__Routing__Enabled"] = routing ? "true" : "false",
        };

        // First run: receive only (as if the agent stopped before the quiet period ended).
        var configuration = AgentConfiguration.Build(home.Path, null, Environment(routing: false));
        using (var host = AgentHostFactory.Build(configuration, AgentSettings.From(configuration, home.Path)))
        {
            await host.StartAsync();
            var files = Directory.GetFiles(Path.Combine(study.Folder, "abdomen"), "*.dcm");
            Assert.Equal(0, await Storescu.Start(host.Services.GetRequiredService<DicomServerService>().Port, "MODALITY1", files).WaitAsync(TimeSpan.FromMinutes(3)));
            await host.StopAsync();
        }

        configuration = AgentConfiguration.Build(home.Path, null, Environment(routing: true));
        using (var host = AgentHostFactory.Build(configuration, AgentSettings.From(configuration, home.Path)))
        {
            var routed = new TaskCompletionSource<RouteAttempt.Routed>(TaskCreationOptions.RunContinuationsAsynchronously);
            host.Services.GetRequiredService<SeriesCompletionService>().Routed += (_, r) => routed.TrySetResult(r);
            await host.StartAsync();
            try
            {
                var result = await routed.Task.WaitAsync(TimeSpan.FromMinutes(3));
                Assert.Equal("ct-abdomen", Assert.Single(result.Decision.Fired).Rule.Name);
                var database = host.Services.GetRequiredService<DatabaseAccess>();
                await using var connection = await database.DataSource.OpenConnectionAsync();
                Assert.Equal([$"segment:{study.AbdomenUid}:abdomen-ct"], await ClusterQuery.StringsAsync(connection, "SELECT idempotency_key FROM jobs"));
            }
            finally
            {
                await host.StopAsync();
            }
        }
    }
}
