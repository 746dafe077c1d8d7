using Agent.Host.Configuration;
using Agent.Host.Reanalysis;
using Microsoft.Extensions.Configuration;

namespace Agent.Host.Tests.Reanalysis;

public sealed class ReanalysisConfigurationTests
{
    // A later pair overrides an earlier one with the same key, as a later configuration layer does.
    private static IReadOnlyList<string> Validate(params (string Key, string Value)[] pairs) =>
        AgentOptionsRegistration.Validate(new ConfigurationBuilder().AddInMemoryCollection(
            pairs.GroupBy(p => p.Key).Select(g => new KeyValuePair<string, string?>(g.Key, g.Last().Value))).Build());

    private static readonly (string, string)[] GoodSetup =
    [
        ("Agent:Destinations:pacs:AeTitle", "ORTHANC"), ("Agent:Destinations:pacs:Host", "127.0.0.1"),
        ("Agent:Reanalysis:Sources:pacs:AeTitle", "ORTHANC"), ("Agent:Reanalysis:Sources:pacs:Host", "127.0.0.1"),
        ("Agent:Reanalysis:Sources:pacs:Port", "4242"),
        ("Agent:Reanalysis:Schedules:nightly:Cron", "0 2 * * *"), ("Agent:Reanalysis:Schedules:nightly:TimeZone", "Europe/Zurich"),
        ("Agent:Reanalysis:Schedules:nightly:Source", "pacs"), ("Agent:Reanalysis:Schedules:nightly:Model", "abdomen-ct-3d@0.2.0"),
        ("Agent:Reanalysis:Schedules:nightly:Query:StudyDate", "-1d"), ("Agent:Reanalysis:Schedules:nightly:Query:Modality", "CT"),
        ("Agent:Reanalysis:Schedules:nightly:SendTo:0", "pacs"),
    ];

    [Fact]
    public void A_complete_schedule_and_source_validate_and_bind()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(GoodSetup.Select(p => new KeyValuePair<string, string?>(p.Item1, p.Item2))).Build();
        Assert.Empty(AgentOptionsRegistration.Validate(configuration));
        var options = AgentOptionsRegistration.Bind<ReanalysisOptions>(configuration, ReanalysisOptions.Section);
        var nightly = options.Schedules["NIGHTLY"];
        Assert.Equal(["pacs"], nightly.SendTo);
        Assert.Equal("CT", nightly.Query["Modality"]);
        Assert.True(nightly.Enabled);
        Assert.Equal(4242, options.Sources["pacs"].Port);
    }

    [Fact]
    public void Every_mistake_in_a_schedule_is_reported_with_its_key()
    {
        var errors = Validate(
            ("Agent:Reanalysis:Sources:pacs:AeTitle", "THIS-AE-TITLE-IS-TOO-LONG"), ("Agent:Reanalysis:Sources:pacs:Port", "0"),
            ("Agent:Reanalysis:Schedules:nightly:Cron", "0 2 * *"), ("Agent:Reanalysis:Schedules:nightly:TimeZone", "Mars/Olympus"),
            ("Agent:Reanalysis:Schedules:nightly:Source", "pcas"), ("Agent:Reanalysis:Schedules:nightly:Model", "abdomen-ct-3d"),
            ("Agent:Reanalysis:Schedules:nightly:Query:StudyDate", "-1x"), ("Agent:Reanalysis:Schedules:nightly:SendTo:0", "nowhere"),
            ("Agent:Reanalysis:Schedules:nightly:MaxSeries", "0"));
        Assert.Contains(errors, e => e.StartsWith("Agent:Reanalysis:Sources:pacs:AeTitle ", StringComparison.Ordinal));
        Assert.Contains("Agent:Reanalysis:Sources:pacs:Host is required", errors);
        Assert.Contains("Agent:Reanalysis:Sources:pacs:Port must be 1-65535, got 0", errors);
        Assert.Contains("Agent:Reanalysis:Schedules:nightly:Cron '0 2 * *' must have 5 fields (minute hour day month weekday) or 6 (seconds first), has 4", errors);
        Assert.Contains("Agent:Reanalysis:Schedules:nightly:TimeZone 'Mars/Olympus' is not a known time zone (e.g. UTC, Europe/Zurich)", errors);
        Assert.Contains("Agent:Reanalysis:Schedules:nightly:Source 'pcas' is not configured under Agent:Reanalysis:Sources (known: pacs)", errors);
        Assert.Contains("Agent:Reanalysis:Schedules:nightly:Model 'abdomen-ct-3d' has no version: pin one as NAME@VERSION (e.g. abdomen-ct-3d@1.0.0)", errors);
        Assert.Contains(errors, e => e.StartsWith("Agent:Reanalysis:Schedules:nightly:Query:StudyDate '-1x' is not a date range", StringComparison.Ordinal));
        Assert.Contains("Agent:Reanalysis:Schedules:nightly:SendTo:0 'nowhere' is not configured under Agent:Destinations (known: none)", errors);
        Assert.Contains("Agent:Reanalysis:Schedules:nightly:MaxSeries must be 1-100000, got 0", errors);
        Assert.Equal(10, errors.Count);
    }

    [Fact]
    public void A_cron_expression_that_cronos_rejects_is_reported_with_the_reason()
    {
        var errors = Validate([.. GoodSetup, ("Agent:Reanalysis:Schedules:nightly:Cron", "0 25 * * *")]);
        var error = Assert.Single(errors);
        Assert.StartsWith("Agent:Reanalysis:Schedules:nightly:Cron '0 25 * * *' is not a cron expression: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_inside_a_source_or_schedule_are_reported_like_any_other_typo()
    {
        var errors = Validate([.. GoodSetup, ("Agent:Reanalysis:Sources:pacs:Prot", "104"), ("Agent:Reanalysis:Schedules:nightly:Enabled", "maybe"),
            ("Agent:Reanalysis:Schedules:nightly:Query:BodyPartExamined:Value", "ABDOMEN")]);
        Assert.Contains(errors, e => e.StartsWith("Agent:Reanalysis:Sources:pacs:Prot is not a known setting", StringComparison.Ordinal));
        Assert.Contains("Agent:Reanalysis:Schedules:nightly:Enabled must be true or false, got 'maybe'", errors);
        Assert.Contains("Agent:Reanalysis:Schedules:nightly:Query:BodyPartExamined must be a single value, not a section", errors);
    }
}
