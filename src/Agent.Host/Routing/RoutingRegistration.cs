using Agent.Host.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agent.Host.Routing;

/// <summary>Adds series completion and rule-based routing to the host (section <c>Agent:Routing</c>).</summary>
public static class RoutingRegistration
{
    public static IServiceCollection AddRouting(this IServiceCollection services, IConfiguration configuration, AgentSettings settings)
    {
        var options = configuration.GetSection(RoutingOptions.Section).Get<RoutingOptions>() ?? new RoutingOptions();
        services.AddSingleton(options);
        services.AddSingleton<SeriesArrivals>();
        services.AddSingleton<Jobs.IJobHandler, Pipelines.SegmentSeriesJob>();
        services.AddSingleton<Jobs.IJobHandler>(_ => new Pipelines.NotifyJob(new HttpClient()));
        services.AddSingleton<Jobs.IJobHandler, Pipelines.ForwardSeriesJob>();
        if (!options.Enabled) return services;
        var path = Path.IsPathRooted(options.RulesFile) ? options.RulesFile : Path.Combine(settings.Home, options.RulesFile);
        if (!File.Exists(path))
        {
            // A fresh AGENT_HOME has no rules yet: the shipped example next to the executable applies until one is written.
            var shipped = Path.Combine(AppContext.BaseDirectory, "config", "rules.yaml");
            if (File.Exists(shipped)) path = shipped;
        }
        services.AddSingleton(sp => new RulesProvider(path, sp.GetRequiredService<ILogger<RulesProvider>>(),
            sp.GetRequiredService<IOptions<Delivery.DestinationsOptions>>().Value.Keys.ToList()));
        services.AddSingleton<SeriesRouter>();
        services.AddSingleton<SeriesCompletionService>();
        services.AddHostedService(sp => sp.GetRequiredService<SeriesCompletionService>());
        return services;
    }
}
