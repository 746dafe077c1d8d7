using Agent.Host.Cli;

namespace Agent.Host.Tests;

public sealed class ScuCommandTests
{
    private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, new CliContext { Out = output, Error = error, Environment = new Dictionary<string, string?>() }, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private static string S(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Echo_to_dcmtk_storescp_succeeds()
    {
        using var home = new TempHome();
        await using var scp = await DcmtkStorescp.StartAsync(Path.Combine(home.Path, "scp"));
        var (code, output, error) = await RunAsync("echo", "--port", S(scp.Port), "--aec", "STORESCP");
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("C-ECHO AGENT -> STORESCP@127.0.0.1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Echo_to_a_port_where_nobody_listens_fails()
    {
        using var home = new TempHome();
        int port;
        await using (var scp = await DcmtkStorescp.StartAsync(Path.Combine(home.Path, "scp"))) port = scp.Port;
        var (code, _, error) = await RunAsync("echo", "--port", S(port));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains($"127.0.0.1:{port}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_a_folder_to_dcmtk_storescp_stores_every_file()
    {
        using var home = new TempHome();
        var files = TestInstances.WriteSeries(Path.Combine(home.Path, "series"), 4);
        await using var scp = await DcmtkStorescp.StartAsync(Path.Combine(home.Path, "scp"));
        var (code, output, error) = await RunAsync("send", "--port", S(scp.Port), "--aec", "STORESCP", Path.Combine(home.Path, "series"));
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("sent 4 of 4 instance(s), 0 failed", output, StringComparison.Ordinal);
        var received = Directory.GetFiles(scp.Folder).Select(TestInstances.SopInstanceUid).Order(StringComparer.Ordinal);
        Assert.Equal(files.Select(TestInstances.SopInstanceUid).Order(StringComparer.Ordinal), received);
    }

    [Fact]
    public async Task Send_reports_files_that_are_not_dicom_and_fails()
    {
        using var home = new TempHome();
        var files = TestInstances.WriteSeries(Path.Combine(home.Path, "series"), 1);
        var text = Path.Combine(home.Path, "notes.txt");
        await File.WriteAllTextAsync(text, "not a DICOM file");
        await using var scp = await DcmtkStorescp.StartAsync(Path.Combine(home.Path, "scp"));
        var (code, output, error) = await RunAsync("send", "--port", S(scp.Port), "--aec", "STORESCP", files[0], text);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("skipped " + text, error, StringComparison.Ordinal);
        Assert.Contains("sent 1 of 1 instance(s), 0 failed, 1 skipped", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_with_an_invalid_port_is_a_usage_error()
    {
        Assert.Equal(ExitCodes.Usage, (await RunAsync("send", "--port", "0", "/tmp")).Code);
    }
}
