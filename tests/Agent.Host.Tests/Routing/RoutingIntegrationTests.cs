using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Host.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Host.Tests.Routing;

/// <summary>The running agent receives a study from DCMTK storescu and routes each series once it is complete.</summary>
public sealed class RoutingIntegrationTests
{
    private const string Rules = """
        version: "it-1"
        defaults:
          quiet_seconds: 2
        rules:
          - name: ct-abdomen
            match:
              Modality: CT
              BodyPartExamined: ABDOMEN
              calling_ae: MODALITY1
              source: 127.0.0.0/8
            actions:
              - run: "abdomen-ct@1.0.0"
          - name: mr-t1
            match: {Modality: MR, SeriesDescription: {regex: "(?i)t1"}}
            actions: [run: mr-model]
        """;

    [Fact]
    public async Task Of_three_series_sent_by_storescu_only_the_matching_one_gets_a_job_and_the_others_are_recorded_as_not_matched()
    {
        using var home = new TempHome();
        var study = await ThreeSeriesStudy.CreateAsync(Path.Combine(home.Path, "send"), CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(home.Path, "config"));
        await File.WriteAllTextAsync(Path.Combine(home.Path, "config", "rules.yaml"), Rules);
        var configuration = AgentConfiguration.Build(home.Path, null, new Dictionary<string, string?>
        {
            ["AGENT__Dicom__Port"] = "0",
            ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
            ["AGENT__Jobs__Workers"] = "0", // the queued job is what this test looks at
        });
        var settings = AgentSettings.From(configuration, home.Path);
        using var host = AgentHostFactory.Build(configuration, settings);
        await host.StartAsync();
        try
        {
            var completion = host.Services.GetRequiredService<SeriesCompletionService>();
            var routed = new List<RouteAttempt.Routed>();
            var allRouted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            completion.Routed += (_, r) =>
            {
                lock (routed)
                {
                    routed.Add(r);
                    if (routed.Count == 3) allRouted.TrySetResult();
                }
            };
            var files = Directory.GetFiles(study.Folder, "*.dcm", SearchOption.AllDirectories);
            var storescu = Storescu.Start(host.Services.GetRequiredService<DicomServerService>().Port, "MODALITY1", files);
            Assert.Equal(0, await storescu.WaitAsync(TimeSpan.FromMinutes(3)));

            await allRouted.Task.WaitAsync(TimeSpan.FromMinutes(3));

            var database = host.Services.GetRequiredService<DatabaseAccess>();
            await using var connection = await database.DataSource.OpenConnectionAsync();
            var jobs = await ClusterQuery.StringsAsync(connection,
                "SELECT j.kind || '|' || s.series_instance_uid || '|' || j.pipeline || '|' || j.state FROM jobs j JOIN series s ON s.id = j.series_id");
            Assert.Equal([$"segment|{study.AbdomenUid}|segment:abdomen-ct@1.0.0|queued"], jobs);

            var decisions = await ClusterQuery.StringsAsync(connection, """
                SELECT s.series_instance_uid || '|' || d.rule_name || '|' || d.matched || '|' || coalesce(d.reason, '') || '|' || (d.job_id IS NOT NULL)
                FROM rule_decisions d JOIN series s ON s.id = d.series_id WHERE d.rule_name NOT LIKE '(routing)%' ORDER BY d.id
                """);
            string Of(string series, string rule) => Assert.Single(decisions, d => d.StartsWith($"{series}|{rule}@it-1|", StringComparison.Ordinal));
            Assert.Equal($"{study.AbdomenUid}|ct-abdomen@it-1|true|matched: Modality is CT and BodyPartExamined is ABDOMEN and calling_ae is MODALITY1 and source 127.0.0.1 is in 127.0.0.0/8|true",
                Of(study.AbdomenUid, "ct-abdomen"));
            Assert.Equal($"{study.ChestUid}|ct-abdomen@it-1|false|not matched: BodyPartExamined is \"CHEST\", not ABDOMEN|false", Of(study.ChestUid, "ct-abdomen"));
            Assert.Equal($"{study.MrUid}|ct-abdomen@it-1|false|not matched: Modality is \"MR\", not CT|false", Of(study.MrUid, "ct-abdomen"));
            Assert.Equal($"{study.MrUid}|mr-t1@it-1|false|not matched: SeriesDescription is \"T2 haste axial\", does not match /(?i)t1/|false", Of(study.MrUid, "mr-t1"));
            Assert.Equal(6, decisions.Count);

            var routedAt = await ClusterQuery.StringsAsync(connection, "SELECT count(*)::text FROM series WHERE routed_at IS NOT NULL");
            Assert.Equal(["3"], routedAt);
            Assert.Equal(0, completion.Pending);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
