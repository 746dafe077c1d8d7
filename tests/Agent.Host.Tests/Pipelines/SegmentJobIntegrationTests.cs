using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Host.Tests.Delivery;
using Agent.Host.Tests.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Host.Tests.Pipelines;

/// <summary>Receive -> complete -> rule -> segment job -> SEG, SR and key image outputs with model provenance, in the running agent.</summary>
public sealed class SegmentJobIntegrationTests
{
    [Fact]
    public async Task A_series_matching_a_run_rule_is_segmented_by_the_job_worker_and_its_seg_is_recorded_with_the_model_version()
    {
        using var home = new TempHome();
        var (study, host) = await StartAndSendAbdomenAsync(home, "actions: [run: tiny-ct]", []);
        using var _ = host;
        try
        {
            var database = host.Services.GetRequiredService<DatabaseAccess>();
            await using var connection = await database.DataSource.OpenConnectionAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
            List<string> state;
            do
            {
                await Task.Delay(250);
                state = await ClusterQuery.StringsAsync(connection, "SELECT state || '|' || coalesce(last_error, '') FROM jobs WHERE kind = 'segment'");
            } while (DateTime.UtcNow < deadline && !(state is [{ } s] && (s.StartsWith("succeeded", StringComparison.Ordinal) || s.StartsWith("failed", StringComparison.Ordinal))));
            Assert.Equal(["succeeded|"], state);

            var outputs = await ClusterQuery.StringsAsync(connection, """
                SELECT o.kind || '|' || m.name || '@' || m.version || '|' || s.series_instance_uid || '|' || o.study_instance_uid || '|' || o.file_path
                FROM outputs o JOIN models m ON m.id = o.model_id JOIN series s ON s.id = o.source_series_id
                """);
            // One SEG, one TID 1500 SR referencing it, and at least one key image, all from the same model run.
            Assert.Single(outputs, o => o.StartsWith("SEG|", StringComparison.Ordinal));
            Assert.Single(outputs, o => o.StartsWith("SR|", StringComparison.Ordinal));
            Assert.Contains(outputs, o => o.StartsWith("KI|", StringComparison.Ordinal));
            foreach (var output in outputs)
            {
                Assert.Contains($"|tiny-ct@0.2.0|{study.AbdomenUid}|{study.StudyUid}|outputs/job-", output, StringComparison.Ordinal);
                Assert.True(File.Exists(Path.Combine(home.Path, "data", output.Split('|')[4])));
            }
            var timings = await ClusterQuery.StringsAsync(connection, "SELECT timings::text FROM jobs WHERE kind = 'segment'");
            Assert.Contains("inference_ms", Assert.Single(timings), StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task The_running_agent_delivers_the_seg_sr_and_key_images_of_a_segmented_series_to_orthanc_in_the_same_study()
    {
        using var home = new TempHome();
        await using var orthanc = new OrthancProcess(Path.Combine(home.Path, "orthanc"));
        await orthanc.StartAsync();
        var (study, host) = await StartAndSendAbdomenAsync(home, "actions: [{run: {model: tiny-ct, send_to: [pacs]}}]", new()
        {
            ["AGENT__Destinations__pacs__AeTitle"] = "ORTHANC",
            ["AGENT__Destinations__pacs__Host"] = "127.0.0.1",
            ["AGENT__Destinations__pacs__Port"] = orthanc.DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var _ = host;
        try
        {
            var database = host.Services.GetRequiredService<DatabaseAccess>();
            await using var connection = await database.DataSource.OpenConnectionAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
            List<string> deliveries;
            do
            {
                await Task.Delay(250);
                deliveries = await ClusterQuery.StringsAsync(connection, "SELECT d.state || '|' || o.kind || '|' || coalesce(d.last_error, '') FROM deliveries d JOIN outputs o ON o.id = d.output_id");
            } while (DateTime.UtcNow < deadline && (deliveries.Count < 3 || deliveries.Any(d => d.StartsWith("queued", StringComparison.Ordinal) || d.StartsWith("running", StringComparison.Ordinal))));
            Assert.All(deliveries, d => Assert.StartsWith("succeeded|", d, StringComparison.Ordinal));

            // Orthanc files them under the source study: the SEG, the SR and the key images sit next to nothing else of ours.
            var lookup = await orthanc.PostJsonAsync("/tools/lookup", study.StudyUid);
            var studyId = lookup[0].GetProperty("ID").GetString();
            var modalities = new List<string>();
            foreach (var series in (await orthanc.GetJsonAsync($"/studies/{studyId}/series")).EnumerateArray())
                modalities.Add(series.GetProperty("MainDicomTags").GetProperty("Modality").GetString() ?? "");
            Assert.Contains("SEG", modalities);
            Assert.Contains("SR", modalities);
            Assert.Contains("OT", modalities);
            Assert.Equal(deliveries.Count, (await orthanc.GetJsonAsync($"/studies/{studyId}/instances")).GetArrayLength());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>
    /// A running agent with the tiny model and one rule for the CT abdomen series (<paramref name="actions"/>), to which
    /// storescu has sent that series.
    /// </summary>
    private static async Task<(ThreeSeriesStudy Study, Microsoft.Extensions.Hosting.IHost Host)> StartAndSendAbdomenAsync(
        TempHome home, string actions, Dictionary<string, string?> settingsOverrides)
    {
        var study = await ThreeSeriesStudy.CreateAsync(Path.Combine(home.Path, "send"), CancellationToken.None);
        await TinyModel.WriteAsync(Path.Combine(home.Path, "config", "models", "tiny"), "0.2.0");
        await File.WriteAllTextAsync(Path.Combine(home.Path, "config", "rules.yaml"), $$"""
            version: "seg"
            defaults: {quiet_seconds: 1}
            rules:
              - name: ct-abdomen
                match: {Modality: CT, BodyPartExamined: ABDOMEN}
                {{actions}}
            """);
        var environment = new Dictionary<string, string?>(settingsOverrides)
        {
            ["AGENT__Dicom__Port"] = "0",
            ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
            ["AGENT__Jobs__PollSeconds"] = "1",
            ["AGENT__Routing__Device"] = "cpu",
        };
        var configuration = AgentConfiguration.Build(home.Path, null, environment);
        var host = AgentHostFactory.Build(configuration, AgentSettings.From(configuration, home.Path));
        await host.StartAsync();
        var files = Directory.GetFiles(Path.Combine(study.Folder, "abdomen"), "*.dcm");
        var storescu = Storescu.Start(host.Services.GetRequiredService<DicomServerService>().Port, "MODALITY1", files);
        Assert.Equal(0, await storescu.WaitAsync(TimeSpan.FromMinutes(3)));
        return (study, host);
    }
}
