using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Agent.Host.Configuration;

/// <summary>Binds every options section, with one validator per section and validation at start-up.</summary>
public static class AgentOptionsRegistration
{
    public static IServiceCollection AddAgentOptions(this IServiceCollection services, IConfiguration configuration)
    {
        Add<DicomOptions, DicomOptionsValidator>(services, configuration, DicomOptions.Section);
        Add<StorageOptions, StorageOptionsValidator>(services, configuration, StorageOptions.Section);
        Add<DatabaseOptions, DatabaseOptionsValidator>(services, configuration, DatabaseOptions.Section);
        Add<JobsOptions, JobsOptionsValidator>(services, configuration, JobsOptions.Section);
        Add<Delivery.DestinationsOptions, Delivery.DestinationsOptionsValidator>(services, configuration, Delivery.DestinationsOptions.Section);
        return services;
    }

    private static void Add<TOptions, TValidator>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }

    /// <summary>
    /// Every configuration error, each naming its key; empty when the configuration is usable. Used before the host
    /// is built (so type errors are reported together with range errors) and by commands that run without a host.
    /// </summary>
    public static IReadOnlyList<string> Validate(IConfiguration configuration)
    {
        var (shapeErrors, badKeys) = ConfigurationShape.Check(configuration);
        var errors = new List<string>(shapeErrors);
        if (badKeys.Count > 0)
        {
            // Binding throws on the first unconvertible value: check the rest without the keys already reported.
            configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(configuration.GetSection("Agent").AsEnumerable()
                    .Where(kv => !badKeys.Any(b => kv.Key.Equals(b, StringComparison.OrdinalIgnoreCase)
                                                   || kv.Key.StartsWith(b + ":", StringComparison.OrdinalIgnoreCase))))
                .Build();
        }
        errors.AddRange(Failures(new DicomOptionsValidator(), Bind<DicomOptions>(configuration, DicomOptions.Section)));
        errors.AddRange(Failures(new StorageOptionsValidator(), Bind<StorageOptions>(configuration, StorageOptions.Section)));
        errors.AddRange(Failures(new DatabaseOptionsValidator(), Bind<DatabaseOptions>(configuration, DatabaseOptions.Section)));
        errors.AddRange(Failures(new JobsOptionsValidator(), Bind<JobsOptions>(configuration, JobsOptions.Section)));
        errors.AddRange(Failures(new Delivery.DestinationsOptionsValidator(), Bind<Delivery.DestinationsOptions>(configuration, Delivery.DestinationsOptions.Section)));
        errors.AddRange(Reanalysis.ReanalysisOptionsValidator.Check(Bind<Reanalysis.ReanalysisOptions>(configuration, Reanalysis.ReanalysisOptions.Section),
            Bind<Delivery.DestinationsOptions>(configuration, Delivery.DestinationsOptions.Section)));
        return errors;
    }

    public static T Bind<T>(IConfiguration configuration, string section) where T : class, new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options);
        return options;
    }

    private static IEnumerable<string> Failures<T>(IValidateOptions<T> validator, T options) where T : class =>
        validator.Validate(Options.DefaultName, options) is { Failed: true } r ? r.Failures ?? [] : [];
}
