using Agent.Host.Cli;

namespace Agent.Host.Tests.Routing;

public sealed class RulesCommandTests
{
    private const string RulesYaml = """
        version: "7"
        rules:
          - name: ct-abdomen
            priority: 10
            match:
              Modality: CT
              BodyPartExamined: ABDOMEN
            actions: [run: "abdomen-ct@1.0.0"]
          - name: mr-anything
            match: {Modality: MR, SeriesDescription: {regex: "(?i)t1"}}
            actions: [forward: [ARCHIVE]]
          - name: rest
            fallback: true
            actions: [ignore]
        """;

    private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // The rules forward to ARCHIVE, which must be a configured destination.
        var environment = new Dictionary<string, string?>
        {
            ["AGENT__Destinations__ARCHIVE__AeTitle"] = "ARCHIVE", ["AGENT__Destinations__ARCHIVE__Host"] = "127.0.0.1", ["AGENT__Destinations__ARCHIVE__Port"] = "104",
        };
        var code = await CliApp.RunAsync(args, new CliContext { Out = output, Error = error, Environment = environment }, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Rules_test_shows_which_rule_fires_for_each_series_and_why_not_the_others()
    {
        using var home = new TempHome();
        var study = await ThreeSeriesStudy.CreateAsync(Path.Combine(home.Path, "study"), CancellationToken.None);
        var rules = Path.Combine(home.Path, "rules.yaml");
        await File.WriteAllTextAsync(rules, RulesYaml);
        await File.WriteAllTextAsync(Path.Combine(study.Folder, "README.txt"), "not dicom");

        var (code, output, error) = await RunAsync("rules", "test", "--rules", rules, study.Folder);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("version 7, 3 rule(s) (dry run: nothing is executed)", output, StringComparison.Ordinal);
        Assert.Contains("3 series in", output, StringComparison.Ordinal);
        Assert.Contains("(1 files skipped: not DICOM)", output, StringComparison.Ordinal);
        var blocks = output.Split("\nseries ", StringSplitOptions.None).Skip(1).ToDictionary(b => b[..b.IndexOf(' ', StringComparison.Ordinal)]);
        Assert.Contains("FIRES    ct-abdomen: Modality is CT and BodyPartExamined is ABDOMEN", blocks[study.AbdomenUid], StringComparison.Ordinal);
        Assert.Contains("-> run segment with model abdomen-ct@1.0.0", blocks[study.AbdomenUid], StringComparison.Ordinal);
        Assert.Contains("no       ct-abdomen: BodyPartExamined is \"CHEST\", not ABDOMEN", blocks[study.ChestUid], StringComparison.Ordinal);
        Assert.Contains("FIRES    rest: fallback: no other rule matched", blocks[study.ChestUid], StringComparison.Ordinal);
        Assert.Contains("no       mr-anything: SeriesDescription is \"T2 haste axial\", does not match /(?i)t1/", blocks[study.MrUid], StringComparison.Ordinal);
        Assert.Contains($"{study.SlicesPerSeries} file(s)", blocks[study.MrUid], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_check_rejects_a_broken_file_with_file_line_and_reason()
    {
        using var home = new TempHome();
        var rules = Path.Combine(home.Path, "rules.yaml");
        await File.WriteAllTextAsync(rules, RulesYaml.Replace("BodyPartExamined: ABDOMEN", "BodyPart: ABDOMEN", StringComparison.Ordinal));

        var (code, _, error) = await RunAsync("rules", "check", rules);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains($"{rules}:7:7:", error, StringComparison.Ordinal);
        Assert.Contains("unknown DICOM keyword 'BodyPart'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_check_lists_a_valid_file_in_evaluation_order()
    {
        using var home = new TempHome();
        var rules = Path.Combine(home.Path, "rules.yaml");
        await File.WriteAllTextAsync(rules, RulesYaml);

        var (code, output, error) = await RunAsync("rules", "check", rules);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("ct-abdomen (line 3, priority 10): run segment with model abdomen-ct@1.0.0", output, StringComparison.Ordinal);
        Assert.Contains("rest (line 12, priority 0, fallback): ignore", output, StringComparison.Ordinal);
    }
}
