using Agent.Host.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agent.Host.Tests.Routing;

public sealed class RulesProviderTests
{
    private const string Good = "version: \"{0}\"\nrules:\n  - name: ct\n    match: {{Modality: CT}}\n    actions: [run: m]\n";

    [Fact]
    public void A_broken_file_keeps_the_last_good_rules_and_a_fixed_one_replaces_them()
    {
        using var home = new TempHome();
        var path = Path.Combine(home.Path, "rules.yaml");
        File.WriteAllText(path, string.Format(System.Globalization.CultureInfo.InvariantCulture, Good, "1"));
        using var provider = new RulesProvider(path, NullLogger<RulesProvider>.Instance);
        Assert.Equal("1", provider.Current.Version);

        File.WriteAllText(path, "rules:\n  - name: ct\n    match: {Modaliti: CT}\n    actions: [run: m]\n");
        Assert.False(provider.Reload());
        Assert.Equal("1", provider.Current.Version);

        File.WriteAllText(path, string.Format(System.Globalization.CultureInfo.InvariantCulture, Good, "2"));
        Assert.True(provider.Reload());
        Assert.Equal("2", provider.Current.Version);
    }

    [Fact]
    public async Task Editing_the_file_reloads_the_rules_without_a_restart()
    {
        using var home = new TempHome();
        var path = Path.Combine(home.Path, "rules.yaml");
        File.WriteAllText(path, string.Format(System.Globalization.CultureInfo.InvariantCulture, Good, "1"));
        using var provider = new RulesProvider(path, NullLogger<RulesProvider>.Instance);
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.Reloaded += (_, _) => reloaded.TrySetResult();

        File.WriteAllText(path, string.Format(System.Globalization.CultureInfo.InvariantCulture, Good, "2"));

        await reloaded.Task.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal("2", provider.Current.Version);
    }
}
