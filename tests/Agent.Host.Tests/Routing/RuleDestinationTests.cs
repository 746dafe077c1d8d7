using Agent.Host.Cli;
using Agent.Host.Configuration;
using Agent.Host.Hosting;
using Agent.Host.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agent.Host.Tests.Routing;

/// <summary><c>send_to</c> and <c>forward</c> must name configured destinations (<c>Agent:Destinations</c>).</summary>
public sealed class RuleDestinationTests
{
    private const string RulesYaml = """
        version: "d1"
        rules:
          - name: ct
            match: {Modality: CT}
            actions:
              - run: {model: abdomen-ct, send_to: [PACS, VNA]}
          - name: mr
            match: {Modality: MR}
            actions:
              - forward: [ARCHIVE, Pacs]
        """;

    private static RulesFileException Reject(string yaml, params string[] destinations) =>
        Assert.Throws<RulesFileException>(() => RuleParser.Parse(yaml, "rules.yaml", destinations));

    [Fact]
    public void Configured_names_in_send_to_and_forward_are_accepted()
    {
        var rules = RuleParser.Parse(RulesYaml, "rules.yaml", ["PACS", "VNA", "ARCHIVE", "Pacs"]);

        Assert.Equal(2, rules.Rules.Count);
    }

    [Fact]
    public void An_unknown_send_to_name_is_reported_at_its_own_line_and_column_with_the_configured_names()
    {
        var error = Assert.Single(Reject(RulesYaml, "PACS", "ARCHIVE", "Pacs").Errors);

        Assert.Equal((6, 50), (error.Line, error.Column));
        Assert.Equal("rules.yaml:6:50: send_to: unknown destination 'VNA'; configured under Agent:Destinations: ARCHIVE, PACS, Pacs", error.ToString());
    }

    [Fact]
    public void Every_unknown_forward_name_is_an_error_and_a_case_slip_gets_a_hint()
    {
        var errors = Reject(RulesYaml, "PACS", "VNA").Errors;

        Assert.Equal(["10:19", "10:28"], errors.Select(e => $"{e.Line}:{e.Column}"));
        Assert.Contains("forward: unknown destination 'ARCHIVE'; configured under Agent:Destinations: PACS, VNA", errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("forward: unknown destination 'Pacs' (did you mean PACS? names are case-sensitive)", errors[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_no_destination_configured_the_error_says_how_to_add_one()
    {
        var errors = Reject(RulesYaml).Errors;

        Assert.Equal(4, errors.Count);
        Assert.Equal("send_to: unknown destination 'PACS': no destinations are configured; add one under Agent:Destinations:PACS (AeTitle, Host, Port) in config/appsettings.json or the --config file",
            errors[0].Reason);
    }

    [Fact]
    public void Without_a_destination_list_names_are_not_checked()
    {
        Assert.Equal(2, RuleParser.Parse(RulesYaml, "rules.yaml").Rules.Count);
    }

    [Fact]
    public void Hot_reload_keeps_the_last_good_rules_when_a_new_file_names_an_unknown_destination()
    {
        using var home = new TempHome();
        var path = Path.Combine(home.Path, "rules.yaml");
        File.WriteAllText(path, "version: \"1\"\nrules:\n  - name: mr\n    match: {Modality: MR}\n    actions: [forward: [ARCHIVE]]\n");
        using var provider = new RulesProvider(path, NullLogger<RulesProvider>.Instance, ["ARCHIVE"]);
        Assert.Equal("1", provider.Current.Version);

        File.WriteAllText(path, "version: \"2\"\nrules:\n  - name: mr\n    match: {Modality: MR}\n    actions: [forward: [ARCHVE]]\n");

        Assert.False(provider.Reload());
        Assert.Equal("1", provider.Current.Version);
    }

    [Fact]
    public async Task Rules_check_with_a_config_file_rejects_an_unknown_destination_and_lists_the_configured_ones()
    {
        using var home = new TempHome();
        var rules = Path.Combine(home.Path, "rules.yaml");
        await File.WriteAllTextAsync(rules, RulesYaml);
        var config = Path.Combine(home.Path, "site.json");
        await File.WriteAllTextAsync(config, """
            {"Agent": {"Destinations": {
              "PACS": {"AeTitle": "PACS", "Host": "10.0.0.5", "Port": 104},
              "ARCHIVE": {"AeTitle": "VNA", "Host": "10.0.0.6", "Port": 11112}}}}
            """);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CliApp.RunAsync(["rules", "check", rules, "--config", config],
            new CliContext { Out = output, Error = error, Environment = new Dictionary<string, string?> { ["AGENT_HOME"] = home.Path } }, CancellationToken.None);

        Assert.Equal(ExitCodes.Failure, code);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal([
            $"{rules}:6:50: send_to: unknown destination 'VNA'; configured under Agent:Destinations: ARCHIVE, PACS",
            $"{rules}:10:28: forward: unknown destination 'Pacs' (did you mean PACS? names are case-sensitive); configured under Agent:Destinations: ARCHIVE, PACS",
            $"agent rules: {rules}: 2 error(s); rules not loaded",
        ], lines);
    }

    [Fact]
    public async Task Rules_check_accepts_the_file_once_the_destinations_are_configured()
    {
        using var home = new TempHome();
        var rules = Path.Combine(home.Path, "rules.yaml");
        // Configuration keys ignore case, so 'Pacs' cannot be a second destination next to PACS: the rule must say PACS.
        await File.WriteAllTextAsync(rules, RulesYaml.Replace("[ARCHIVE, Pacs]", "[ARCHIVE, PACS]", StringComparison.Ordinal));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string?> { ["AGENT_HOME"] = home.Path };
        foreach (var name in new[] { "PACS", "VNA", "ARCHIVE" })
        {
            environment[$"AGENT__Destinations__{name}__AeTitle"] = name.ToUpperInvariant();
            environment[$"AGENT__Destinations__{name}__Host"] = "127.0.0.1";
        }

        var code = await CliApp.RunAsync(["rules", "check", rules], new CliContext { Out = output, Error = error, Environment = environment }, CancellationToken.None);

        Assert.True(code == ExitCodes.Ok, error.ToString());
        Assert.Contains("mr (line 7, priority 0): forward to ARCHIVE, PACS", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PACS", "s1")]
    [InlineData("NOWHERE", "none")]
    public void At_start_up_the_agent_loads_rules_only_when_every_destination_they_name_is_configured(string destination, string versionInForce)
    {
        using var home = new TempHome();
        Directory.CreateDirectory(Path.Combine(home.Path, "config"));
        File.WriteAllText(Path.Combine(home.Path, "config", "rules.yaml"),
            $"version: \"s1\"\nrules:\n  - name: ct\n    match: {{Modality: CT}}\n    actions: [forward: [{destination}]]\n");
        var configuration = AgentConfiguration.Build(home.Path, null, new Dictionary<string, string?>
        {
            ["AGENT__Destinations__PACS__AeTitle"] = "PACS", ["AGENT__Destinations__PACS__Host"] = "127.0.0.1",
        });

        using var host = AgentHostFactory.Build(configuration, AgentSettings.From(configuration, home.Path));

        Assert.Equal(versionInForce, host.Services.GetRequiredService<RulesProvider>().Current.Version);
    }
}
