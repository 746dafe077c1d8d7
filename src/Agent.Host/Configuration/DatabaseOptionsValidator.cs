using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Agent.Host.Configuration;

/// <summary>Checks <see cref="DatabaseOptions"/>, collecting every problem with the key that causes it.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    private const string P = DatabaseOptions.Section;

    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var errors = new List<string>();
        if (!options.IsEmbedded)
        {
            try
            {
                var builder = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
                if (!builder.ContainsKey("Host") && !builder.ContainsKey("Server"))
                    errors.Add($"{P}:ConnectionString must name a Host (e.g. Host=db;Database=agent;Username=agent)");
            }
            catch (ArgumentException e)
            {
                errors.Add($"{P}:ConnectionString is not a valid connection string: {e.Message}");
            }
        }
        if (!string.IsNullOrWhiteSpace(options.PostgresBinDirectory)
            && !File.Exists(Path.Combine(options.PostgresBinDirectory, "pg_ctl")))
            errors.Add($"{P}:PostgresBinDirectory must be a folder holding pg_ctl, got '{options.PostgresBinDirectory}'");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
