using Agent.Host.Hosting;
using Agent.Host.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agent.Host.Reanalysis;

/// <summary>Adds re-analysis (section <c>Agent:Reanalysis</c>): the <c>reanalyze</c> job, routing claims, and the scheduler.</summary>
public static class ReanalysisRegistration
{
    public static IServiceCollection AddReanalysis(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new ReanalysisOptions();
        configuration.GetSection(ReanalysisOptions.Section).Bind(options);
        services.AddSingleton(options);
        services.AddOptions<ReanalysisOptions>().Bind(configuration.GetSection(ReanalysisOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReanalysisOptions>, ReanalysisOptionsValidator>();
        // On-demand runs (agent reanalyze) need the handler even without schedules.
        services.AddSingleton<Jobs.IJobHandler, ReanalyzeJob>();
        services.AddSingleton<ISeriesClaims, ReanalysisClaims>();
        services.AddSingleton<IReanalysisEnqueuer>(sp => new DatabaseEnqueuer(sp.GetRequiredService<DatabaseAccess>()));
        if (options.Schedules.Values.Any(s => s.Enabled)) services.AddHostedService<ReanalysisScheduler>();
        return services;
    }

    // The data source exists only once the database service has started.
    private sealed class DatabaseEnqueuer(DatabaseAccess database) : IReanalysisEnqueuer
    {
        public Task<(long RunId, bool Created)> EnqueueAsync(ReanalyzeJobPayload payload, string idempotencyKey, CancellationToken cancellationToken) =>
            new ReanalysisRuns(database.DataSource).EnqueueAsync(payload, idempotencyKey, cancellationToken);

        public Task<DateTimeOffset?> LastOccurrenceAsync(string schedule, CancellationToken cancellationToken) =>
            new ReanalysisRuns(database.DataSource).LastOccurrenceAsync(schedule, cancellationToken);
    }
}
