using Agent.Host.Configuration;
using Agent.Host.Ingest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Agent.Host.Hosting;

/// <summary>
/// Composes the long-running agent. Hosted services start in this order and stop in reverse:
/// database (embedded cluster + migrations) -> instance store -> DICOM SCP.
/// </summary>
public static class AgentHostFactory
{
    public static IHost Build(IConfiguration configuration, AgentSettings settings, Action<IServiceCollection>? configure = null)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = settings.Home,
        });
        builder.Configuration.AddConfiguration(configuration);

        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.IncludeScopes = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        // Under systemd: Type=notify readiness, journald-friendly log lines, SIGTERM handling.
        builder.Services.AddSystemd();

        builder.Services.AddAgentOptions(configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DatabaseAccess>();
        builder.Services.AddSingleton(new InstanceStore(settings.DataFolder, settings.Storage.DuplicatePolicy));

        builder.Services.AddHostedService<DatabaseService>();
        builder.Services.AddHostedService<InstanceStoreService>();
        builder.Services.AddSingleton<DicomServerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DicomServerService>());
        builder.Services.AddSingleton<Jobs.IJobHandler, Jobs.VerifySeriesJob>();
        builder.Services.AddHostedService<JobWorkerService>();
        builder.Services.AddHostedService<Delivery.DeliveryService>();
        Routing.RoutingRegistration.AddRouting(builder.Services, configuration, settings);
        Reanalysis.ReanalysisRegistration.AddReanalysis(builder.Services, configuration);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
