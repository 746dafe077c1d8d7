using Microsoft.Extensions.Options;

namespace Agent.Host.Configuration;

/// <summary>Checks <see cref="JobsOptions"/>, collecting every problem with the key that causes it.</summary>
public sealed class JobsOptionsValidator : IValidateOptions<JobsOptions>
{
    private const string P = JobsOptions.Section;

    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var errors = new List<string>();
        if (options.Workers is < 0 or > 64) errors.Add($"{P}:Workers must be 0-64, got {options.Workers}");
        if (options.LeaseSeconds is < 5 or > 86400) errors.Add($"{P}:LeaseSeconds must be 5-86400, got {options.LeaseSeconds}");
        if (options.PollSeconds is < 1 or > 3600) errors.Add($"{P}:PollSeconds must be 1-3600, got {options.PollSeconds}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
