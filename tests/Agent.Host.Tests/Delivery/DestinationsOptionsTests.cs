using Agent.Host.Configuration;
using Agent.Host.Delivery;
using Microsoft.Extensions.Configuration;

namespace Agent.Host.Tests.Delivery;

public sealed class DestinationsOptionsTests
{
    private static IReadOnlyList<string> Validate(Dictionary<string, string?> values) =>
        AgentOptionsRegistration.Validate(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    [Fact]
    public void A_valid_destination_binds_by_name_with_no_errors()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:Destinations:pacs:AeTitle"] = "PACS", ["Agent:Destinations:pacs:Host"] = "10.0.0.5", ["Agent:Destinations:pacs:Port"] = "11112",
            ["Agent:Destinations:pacs:Concurrency"] = "2",
        }).Build();
        Assert.Empty(AgentOptionsRegistration.Validate(config));
        var bound = AgentOptionsRegistration.Bind<DestinationsOptions>(config, DestinationsOptions.Section);
        Assert.Equal((11112, 2), (bound["PACS"].Port, bound["pacs"].Concurrency));
    }

    [Fact]
    public void Every_bad_destination_setting_is_reported_with_its_key_path()
    {
        var errors = Validate(new Dictionary<string, string?>
        {
            ["Agent:Destinations:pacs:AeTitle"] = "A_TITLE_THAT_IS_TOO_LONG", ["Agent:Destinations:pacs:Host"] = "",
            ["Agent:Destinations:pacs:Port"] = "70000", ["Agent:Destinations:pacs:Concurrency"] = "0",
        });
        Assert.Contains(errors, e => e.StartsWith("Agent:Destinations:pacs:AeTitle:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Agent:Destinations:pacs:Host:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Agent:Destinations:pacs:Port:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Agent:Destinations:pacs:Concurrency:", StringComparison.Ordinal));
    }
}
