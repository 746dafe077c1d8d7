using System.Text.Json;
using Agent.Host.Cli;

namespace Agent.Host.Tests;

public sealed class CliTests
{
    private const string Corpus = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    private static async Task<(int Code, string Out, string Error)> RunAsync(Dictionary<string, string?>? environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, new CliContext { Out = output, Error = error, Environment = environment ?? [] }, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Dump_prints_each_element_with_its_keyword()
    {
        var (code, output, _) = await RunAsync(null, "dump", Path.Combine(Corpus, "CT_small.dcm"));
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("(0010,0010) PN [CompressedSamples^CT1]", output, StringComparison.Ordinal);
        Assert.Contains("PatientName", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dump_json_writes_the_dicom_json_model()
    {
        var (code, output, _) = await RunAsync(null, "dump", "--json", Path.Combine(Corpus, "CT_small.dcm"));
        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("CT", json.RootElement.GetProperty("00080060").GetProperty("Value")[0].GetString());
    }

    [Fact]
    public async Task Dump_of_a_file_that_is_not_dicom_fails_with_a_reason()
    {
        var (code, _, error) = await RunAsync(null, "dump", Path.Combine(Corpus, "rtplan_truncated.dcm"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("rtplan_truncated.dcm", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_commands_and_missing_arguments_are_usage_errors()
    {
        Assert.Equal(ExitCodes.Usage, (await RunAsync(null, "frobnicate")).Code);
        Assert.Equal(ExitCodes.Usage, (await RunAsync(null, "dump")).Code);
        Assert.Equal(ExitCodes.Usage, (await RunAsync(null)).Code);
    }

    [Fact]
    public async Task Config_check_prints_every_error_with_its_key_and_fails()
    {
        var (code, _, error) = await RunAsync(new() { ["AGENT__Dicom__Port"] = "0x10", ["AGENT__Dicom__AeTitle"] = "" }, "config", "check");
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("Agent:Dicom:Port must be an integer, got '0x10'", error, StringComparison.Ordinal);
        Assert.Contains("Agent:Dicom:AeTitle must not be empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_check_with_a_missing_config_file_fails()
    {
        var (code, _, error) = await RunAsync(null, "config", "check", "--config", "/nonexistent/site.json");
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("file not found", error, StringComparison.Ordinal);
    }
}
