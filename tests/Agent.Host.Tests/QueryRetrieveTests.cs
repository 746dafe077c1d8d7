using System.Globalization;
using Agent.Host.Cli;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Agent.Host.Tests;

/// <summary>agent find / agent move against DCMTK dcmqrscp, with the running agent as the move destination.</summary>
public sealed class QueryRetrieveTests
{
    private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, new CliContext { Out = output, Error = error, Environment = new Dictionary<string, string?>() }, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Find_lists_the_archive_studies_and_move_brings_a_study_into_the_agent()
    {
        using var home = new TempHome();
        var study = TestInstances.NewUid();
        var files = TestInstances.WriteSeries(Path.Combine(home.Path, "s"), 3, study);
        var configuration = AgentConfiguration.Build(home.Path, null, new Dictionary<string, string?> { ["AGENT__Dicom__Port"] = "0", ["AGENT__Dicom__BindAddress"] = "127.0.0.1", ["AGENT__Jobs__Workers"] = "0" });
        using var host = AgentHostFactory.Build(configuration, AgentSettings.From(configuration, home.Path));
        await host.StartAsync();
        try
        {
            var agentPort = host.Services.GetRequiredService<DicomServerService>().Port;
            await using var archive = await Dcmqrscp.StartAsync(Directory.CreateDirectory(Path.Combine(home.Path, "qr")).FullName, "AGENT", agentPort);
            var load = Storescu.Start(archive.Port, "LOADER", files, calledAe: "QRSCP");
            Assert.Equal(0, await load.WaitAsync(TimeSpan.FromMinutes(2)));
            var port = archive.Port.ToString(CultureInfo.InvariantCulture);

            var (code, output, error) = await RunAsync("find", "--port", port, "--aec", "QRSCP", "-k", "StudyInstanceUID=" + study);
            Assert.True(code == ExitCodes.Ok, error);
            Assert.Contains(study, output, StringComparison.Ordinal);
            Assert.Contains("1 match(es)", error, StringComparison.Ordinal);

            (code, output, error) = await RunAsync("find", "--port", port, "--aec", "QRSCP", "--level", "Series", "-k", "StudyInstanceUID=" + study);
            Assert.True(code == ExitCodes.Ok, error);
            Assert.Contains("1 match(es)", error, StringComparison.Ordinal);
            Assert.Contains("\tCT\t", output, StringComparison.Ordinal);

            (code, output, error) = await RunAsync("move", "--port", port, "--aec", "QRSCP", "--dest", "AGENT", "-k", "StudyInstanceUID=" + study);
            Assert.True(code == ExitCodes.Ok, error + output);
            Assert.Contains("3 completed, 0 failed", output, StringComparison.Ordinal);
            var stored = Directory.GetFiles(Path.Combine(home.Path, "data", "instances", study), "*.dcm", SearchOption.AllDirectories);
            Assert.Equal(3, stored.Length);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Find_with_an_unknown_keyword_is_a_usage_error()
    {
        var (code, _, error) = await RunAsync("find", "-k", "PatientNmae=Doe");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("'PatientNmae' is neither a DICOM keyword nor a tag", error, StringComparison.Ordinal);
    }
}
