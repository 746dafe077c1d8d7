using Agent.Host.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agent.Host.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("agent-config-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private static Dictionary<string, string?> Env(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => (string?)p.Value);

    [Fact]
    public void A_home_without_configuration_gets_the_documented_defaults()
    {
        var configuration = AgentConfiguration.Build(_home, null, Env());
        Assert.Empty(AgentOptionsRegistration.Validate(configuration));
        var settings = AgentSettings.From(configuration, _home);
        Assert.Equal("AGENT", settings.Dicom.AeTitle);
        Assert.Equal(11112, settings.Dicom.Port);
        Assert.Equal(Path.Combine(_home, "data"), settings.DataFolder);
        Assert.True(settings.Database.IsEmbedded);
        Assert.Equal(Path.Combine(_home, "data", "postgres"), settings.EmbeddedDatabaseFolder);
        Assert.Equal(DuplicatePolicy.KeepFirst, settings.Storage.DuplicatePolicy);
    }

    [Fact]
    public void The_shipped_appsettings_file_matches_the_option_class_defaults()
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json");
        Assert.True(File.Exists(shipped), shipped);
        var configuration = new ConfigurationBuilder().AddJsonFile(shipped).Build();
        var fromFile = AgentSettings.From(configuration, _home);
        var fromCode = AgentSettings.From(new ConfigurationBuilder().Build(), _home);
        Assert.Equal(fromCode.Dicom.AeTitle, fromFile.Dicom.AeTitle);
        Assert.Equal(fromCode.Dicom.Port, fromFile.Dicom.Port);
        Assert.Equal(fromCode.Dicom.BindAddress, fromFile.Dicom.BindAddress);
        Assert.Equal(fromCode.Dicom.MaxAssociations, fromFile.Dicom.MaxAssociations);
        Assert.Equal(fromCode.DataFolder, fromFile.DataFolder);
        Assert.Equal(fromCode.Storage.MinFreeSpaceMB, fromFile.Storage.MinFreeSpaceMB);
        Assert.Equal(fromCode.Storage.DuplicatePolicy, fromFile.Storage.DuplicatePolicy);
        Assert.Equal(fromCode.Database.ConnectionString, fromFile.Database.ConnectionString);
        Assert.Equal(fromCode.Jobs.Workers, fromFile.Jobs.Workers);
        Assert.Equal(fromCode.Jobs.LeaseSeconds, fromFile.Jobs.LeaseSeconds);
        Assert.Equal(fromCode.Jobs.PollSeconds, fromFile.Jobs.PollSeconds);
    }

    [Fact]
    public void Environment_variables_override_the_config_file_which_overrides_the_defaults()
    {
        var site = Path.Combine(_home, "site.json");
        File.WriteAllText(site, """{ "Agent": { "Dicom": { "AeTitle": "SITE", "Port": 2000 } } }""");
        var configuration = AgentConfiguration.Build(_home, site, Env(("AGENT__Dicom__Port", "3000")));
        var settings = AgentSettings.From(configuration, _home);
        Assert.Equal("SITE", settings.Dicom.AeTitle);
        Assert.Equal(3000, settings.Dicom.Port);
    }

    [Fact]
    public void Every_error_is_reported_at_once_and_names_its_key()
    {
        var configuration = AgentConfiguration.Build(_home, null, Env(
            ("AGENT__Dicom__Port", "70000"),
            ("AGENT__Dicom__AeTitle", "THIS_TITLE_IS_TOO_LONG"),
            ("AGENT__Dicom__MaxAssociations", "many"),
            ("AGENT__Dicom__Prot", "104"),
            ("AGENT__Storage__MinFreeSpaceMB", "-1"),
            ("AGENT__Storage__DuplicatePolicy", "Sometimes"),
            ("AGENT__Database__ConnectionString", "Database=agent"),
            ("AGENT__Dicomm__Port", "1")));
        var errors = AgentOptionsRegistration.Validate(configuration);
        Assert.Contains(errors, e => e.StartsWith("Agent:Dicom:Port must be 1-65535", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Agent:Dicom:AeTitle must be at most 16 characters", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "Agent:Dicom:MaxAssociations must be an integer, got 'many'");
        Assert.Contains(errors, e => e.StartsWith("Agent:Dicom:Prot is not a known setting", StringComparison.Ordinal));
        Assert.Contains(errors, e => e == "Agent:Storage:MinFreeSpaceMB must be 0 or more, got -1");
        Assert.Contains(errors, e => e.StartsWith("Agent:Storage:DuplicatePolicy must be one of KeepFirst, Overwrite", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Agent:Database:ConnectionString must name a Host", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Agent:Dicomm is not a known section", StringComparison.Ordinal));
        Assert.Equal(8, errors.Count);
    }

    [Theory]
    [InlineData("AGENT", true)]
    [InlineData("  PACS_1 ", true)]
    [InlineData("SIXTEEN_CHARS_OK", true)]
    [InlineData("SEVENTEEN_CHARS_X", false)]
    [InlineData("   ", false)]
    [InlineData("BACK\\SLASH", false)]
    [InlineData("TAB\tAE", false)]
    public void Ae_titles_follow_the_AE_value_representation(string aeTitle, bool valid)
    {
        Assert.Equal(valid, DicomOptionsValidator.AeTitleProblem(aeTitle) is null);
    }

    [Fact]
    public void The_host_refuses_to_start_on_invalid_options()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Agent:Dicom:Port", "-5"), new("Agent:Dicom:BindAddress", "somewhere")])
            .Build();
        using var provider = new ServiceCollection().AddAgentOptions(configuration).BuildServiceProvider();
        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DicomOptions>>().Value);
        Assert.Contains(failure.Failures, f => f.StartsWith("Agent:Dicom:Port must be 1-65535", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("Agent:Dicom:BindAddress must be an IP address", StringComparison.Ordinal));
    }
}
