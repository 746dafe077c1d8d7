using System.Net;
using Agent.Dicom;
using Agent.Host.Routing;

namespace Agent.Host.Tests.Routing;

public sealed class RuleLanguageTests
{
    private static RoutingFacts Ct(Action<DicomDataset>? edit = null, string? callingAe = "PACS1", string? source = "10.1.2.3", DateTimeOffset? at = null)
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.Modality, "CT")
            .AddOrUpdate(DicomTags.BodyPartExamined, "ABDOMEN")
            .AddOrUpdate(DicomTags.SeriesDescription, "Abdomen portal venous 3mm")
            .AddOrUpdate(DicomTags.SliceThickness, "3.0")
            .AddOrUpdate(DicomTags.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.AddOrUpdate<ushort>(DicomTags.Rows, DicomVR.US, 512);
        edit?.Invoke(ds);
        return new RoutingFacts(ds)
        {
            CallingAe = callingAe,
            CalledAe = "AGENT",
            Source = source is null ? null : IPAddress.Parse(source),
            At = at ?? new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), // a Wednesday
        };
    }

    private static RuleSet Rules(string rulesYaml) => RuleParser.Parse("version: t\nrules:\n" + rulesYaml, "rules.yaml");

    private static RuleSet OneRule(string match) =>
        Rules("  - name: r\n    match:\n" + string.Join('\n', match.Split('\n').Select(l => "      " + l)) + "\n    actions: [run: m]\n");

    private static ConditionResult Check(string match, RoutingFacts facts)
    {
        var outcome = RuleEvaluator.Evaluate(OneRule(match), facts).Outcomes.Single();
        return new ConditionResult(outcome.Matched, outcome.Reason);
    }

    [Theory]
    [InlineData("Modality: CT", true)]
    [InlineData("Modality: ct", true)]
    [InlineData("Modality: MR", false)]
    [InlineData("Modality: {equals: CT}", true)]
    [InlineData("Modality: [MR, CT]", true)]
    [InlineData("Modality: {one_of: [MR, PT]}", false)]
    [InlineData("SeriesDescription: {regex: \"(?i)portal\"}", true)]
    [InlineData("SeriesDescription: {regex: \"^portal\"}", false)]
    [InlineData("SliceThickness: {range: [0.5, 5]}", true)]
    [InlineData("SliceThickness: {range: [~, 2.5]}", false)]
    [InlineData("SliceThickness: {min: 3}", true)]
    [InlineData("Rows: {range: [256, 1024]}", true)]
    [InlineData("Rows: {max: 256}", false)]
    [InlineData("\"(0028,0010)\": {range: [512, 512]}", true)]
    [InlineData("\"00080060\": CT", true)]
    [InlineData("ImageType: {contains: AXIAL}", true)]
    [InlineData("ImageType: {contains: LOCALIZER}", false)]
    [InlineData("ImageType: \"ORIGINAL\\\\PRIMARY\\\\AXIAL\"", true)]
    [InlineData("PatientWeight: {exists: true}", false)]
    [InlineData("PatientWeight: {missing: true}", true)]
    [InlineData("Modality: {exists: true}", true)]
    [InlineData("calling_ae: PACS1", true)]
    [InlineData("calling_ae: [MODALITY1, MODALITY2]", false)]
    [InlineData("called_ae: AGENT", true)]
    [InlineData("source: 10.0.0.0/8", true)]
    [InlineData("source: [192.168.0.0/16, 10.1.2.3]", true)]
    [InlineData("source: {cidr: 172.16.0.0/12}", false)]
    [InlineData("time: {between: [\"09:00\", \"17:00\"], timezone: UTC}", true)]
    [InlineData("time: {between: [\"18:00\", \"06:00\"], timezone: UTC}", false)]
    [InlineData("time: {days: [sat, sun], timezone: UTC}", false)]
    [InlineData("time: {days: [wed], timezone: UTC}", true)]
    [InlineData("not: {Modality: MR}", true)]
    public void Every_operator_matches_as_documented(string match, bool expected)
    {
        var result = Check(match, Ct());
        Assert.True(expected == result.Matched, $"{match}: {result.Reason}");
    }

    [Fact]
    public void A_time_window_past_midnight_wraps()
    {
        var night = new DateTimeOffset(2026, 11, 25, 2, 30, 0, TimeSpan.Zero);
        Assert.True(Check("time: {between: [\"22:00\", \"06:00\"], timezone: UTC}", Ct(at: night)).Matched);
        Assert.False(Check("time: {between: [\"22:00\", \"06:00\"], timezone: UTC}", Ct()).Matched);
    }

    [Fact]
    public void Source_matching_handles_ipv4_mapped_ipv6_addresses()
    {
        Assert.True(Check("source: 10.1.0.0/16", Ct(source: "::ffff:10.1.2.3")).Matched);
    }

    [Fact]
    public void A_missing_association_field_does_not_match()
    {
        var result = Check("calling_ae: PACS1", Ct(callingAe: null));
        Assert.False(result.Matched);
        Assert.Contains("calling_ae is missing", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_of_one_mapping_are_all_required_and_the_reason_names_the_failing_one()
    {
        var result = Check("Modality: CT\nBodyPartExamined: CHEST", Ct());
        Assert.False(result.Matched);
        Assert.Equal("BodyPartExamined is \"ABDOMEN\", not CHEST", result.Reason);
    }

    [Fact]
    public void Any_groups_need_one_branch_and_nest_inside_all()
    {
        Assert.True(Check("all:\n  - Modality: CT\n  - any:\n    - BodyPartExamined: CHEST\n    - SeriesDescription: {regex: \"(?i)abd\"}", Ct()).Matched);
        var result = Check("any:\n  - BodyPartExamined: CHEST\n  - Modality: MR", Ct());
        Assert.False(result.Matched);
        Assert.StartsWith("none of (", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_numbers_are_compared_as_numbers()
    {
        Assert.False(Check("Rows: {range: [513, ~]}", Ct()).Matched);
        Assert.True(Check("Rows: \"512\"", Ct()).Matched);
    }

    [Fact]
    public void A_non_numeric_value_is_outside_any_range_with_a_reason()
    {
        var result = Check("Modality: {range: [1, 2]}", Ct());
        Assert.False(result.Matched);
        Assert.Contains("is not a number", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Higher_priority_fires_first_and_stops_lower_ones()
    {
        var rules = Rules("""
              - name: low
                match: {Modality: CT}
                actions: [run: low-model]
              - name: high
                priority: 10
                match: {Modality: CT}
                actions: [run: high-model]
            """);
        var decision = RuleEvaluator.Evaluate(rules, Ct());
        Assert.Equal(["high", "low"], decision.Outcomes.Select(o => o.Rule.Name));
        Assert.Equal("high", Assert.Single(decision.Fired).Rule.Name);
        var low = decision.Outcomes.Single(o => o.Rule.Name == "low");
        Assert.True(low.Matched);
        Assert.Contains("rule 'high' fired first", low.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_priorities_keep_file_order_and_continue_lets_later_rules_fire()
    {
        var rules = Rules("""
              - name: first
                continue: true
                match: {Modality: CT}
                actions: [forward: [ARCHIVE]]
              - name: second
                match: {Modality: CT}
                actions: [run: {model: "abdomen-ct@1.2.0", send_to: [PACS, VNA]}]
              - name: third
                match: {Modality: CT}
                actions: [run: other]
            """);
        var decision = RuleEvaluator.Evaluate(rules, Ct());
        Assert.Equal(["first", "second"], decision.Fired.Select(o => o.Rule.Name));
        var run = Assert.IsType<RunAction>(decision.Fired.Last().Rule.Actions.Single());
        Assert.Equal(("abdomen-ct", "1.2.0"), (run.Model, run.ModelVersion));
        Assert.Equal(["PACS", "VNA"], run.SendTo);
    }

    [Fact]
    public void Fallback_fires_only_when_no_other_rule_matched()
    {
        var rules = Rules("""
              - name: rest
                fallback: true
                actions: [ignore]
              - name: ct
                match: {Modality: CT}
                actions: [run: m]
            """);
        var ct = RuleEvaluator.Evaluate(rules, Ct());
        Assert.Equal("ct", Assert.Single(ct.Fired).Rule.Name);
        Assert.Equal("fallback: another rule fired", ct.Outcomes.Single(o => o.Rule.Fallback).Reason);
        var mr = RuleEvaluator.Evaluate(rules, Ct(d => d.AddOrUpdate(DicomTags.Modality, "MR")));
        Assert.Equal("rest", Assert.Single(mr.Fired).Rule.Name);
        Assert.Equal("Modality is \"MR\", not CT", mr.Outcomes.Single(o => o.Rule.Name == "ct").Reason);
    }

    [Fact]
    public void Completion_settings_inherit_defaults_per_rule()
    {
        var rules = RuleParser.Parse("""
            defaults:
              quiet_seconds: 12
              on_rearrival: rerun
            rules:
              - name: a
                match: {Modality: CT}
                actions: [run: m]
              - name: b
                match: {Modality: MR}
                completion: {quiet_seconds: 3, expected_count: 40, on_rearrival: rerun_supersede, level: study}
                actions: [notify: "https://hooks.example.org/x"]
            """, "r.yaml");
        var a = rules.Rules.Single(r => r.Name == "a").Completion;
        var b = rules.Rules.Single(r => r.Name == "b").Completion;
        Assert.Equal(new CompletionPolicy(TimeSpan.FromSeconds(12), null, RearrivalPolicy.Rerun, CompletionLevel.Series), a);
        Assert.Equal(new CompletionPolicy(TimeSpan.FromSeconds(3), 40, RearrivalPolicy.RerunSupersede, CompletionLevel.Study), b);
        Assert.Equal(TimeSpan.FromSeconds(3), rules.ShortestQuietPeriod);
        Assert.StartsWith("sha-", rules.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_rules_file_is_valid()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "config", "rules.yaml");
        var rules = RuleParser.Load(path);
        Assert.Contains(rules.Rules, r => r.Fallback);
    }

    [Theory]
    [InlineData("rules:\n  - name: a\n    match: {Modaliti: CT}\n    actions: [run: m]\n", 3, "unknown DICOM keyword 'Modaliti'")]
    [InlineData("rules:\n  - name: a\n    match: {modality: CT}\n    actions: [run: m]\n", 3, "did you mean Modality?")]
    [InlineData("rules:\n  - name: a\n    match:\n      SeriesDescription: {regex: \"(abd\"}\n    actions: [run: m]\n", 4, "invalid regex")]
    [InlineData("rules:\n  - name: a\n    match: {Modality: CT}\n    actions: [run: m]\n    priorty: 3\n", 5, "unknown key 'priorty'")]
    [InlineData("rules:\n  - name: a\n    match: {Modality: CT}\n    actions: [launch: m]\n", 4, "unknown action 'launch'")]
    [InlineData("rules:\n  - name: a\n    match: {source: 10.0.0.1/8}\n    actions: [run: m]\n", 3, "is not an address or CIDR")]
    [InlineData("rules:\n  - name: a\n    match: {SliceThickness: {range: [5, 1]}}\n    actions: [run: m]\n", 3, "range minimum 5 is above maximum 1")]
    [InlineData("rules:\n  - name: a\n    actions: [run: m]\n", 2, "has no 'match'")]
    [InlineData("rules:\n  - name: a\n    match: {Modality: CT}\n", 2, "has no 'actions'")]
    [InlineData("rules:\n  - name: a\n    match: {Modality: CT}\n    actions: [run: m]\n  - name: a\n    match: {Modality: MR}\n    actions: [run: m]\n", 5, "duplicate rule name 'a' (first defined on line 2)")]
    [InlineData("rules:\n  - name: a\n    fallback: true\n    actions: [ignore]\n  - name: b\n    fallback: true\n    actions: [ignore]\n", 5, "only one fallback rule")]
    [InlineData("rules:\n  - name: a\n    match: {Modality: CT}\n    actions: [notify: \"ftp://x\"]\n", 4, "absolute http(s) URL")]
    [InlineData("rules:\n  - name: a\n    match: {Modality: CT}\n    actions: [run: \"m@\"]\n", 4, "is not NAME or NAME@VERSION")]
    [InlineData("rules:\n  - name: a\n    match: {time: {between: [\"25:00\", \"06:00\"]}}\n    actions: [run: m]\n", 3, "is not a time of day")]
    [InlineData("rules:\n  - name: a\n    match: {Modality: CT}\n    completion: {on_rearrival: sometimes}\n    actions: [run: m]\n", 4, "on_rearrival must be")]
    [InlineData("rules:\n  - name: a\n    match: {Modality: CT\n    actions: [run: m]\n", 3, "YAML syntax")]
    [InlineData("rules:\n  - name: a\n    match: {Modality: CT}\n    actions: [ignore, run: m]\n", 4, "'ignore' cannot be combined")]
    public void Invalid_files_are_rejected_with_the_line_and_reason(string yaml, int line, string reason)
    {
        var e = Assert.Throws<RulesFileException>(() => RuleParser.Parse(yaml, "rules.yaml"));
        Assert.Contains(e.Errors, x => x.Line == line && x.Reason.Contains(reason, StringComparison.Ordinal));
        Assert.All(e.Errors, x => Assert.StartsWith("rules.yaml:", x.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Every_error_of_a_file_is_reported_not_just_the_first()
    {
        var e = Assert.Throws<RulesFileException>(() => RuleParser.Parse(
            "rules:\n  - name: a\n    match: {Modaliti: CT}\n    actions: [run: m]\n  - name: b\n    match: {Modality: CT}\n    actions: [explode: now]\n",
            "rules.yaml"));
        Assert.Equal([3, 7], e.Errors.Select(x => x.Line));
    }
}
