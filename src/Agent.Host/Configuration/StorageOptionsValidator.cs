using Microsoft.Extensions.Options;

namespace Agent.Host.Configuration;

/// <summary>Checks <see cref="StorageOptions"/>, collecting every problem with the key that causes it.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    private const string P = StorageOptions.Section;

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataFolder))
            errors.Add($"{P}:DataFolder must not be empty");
        else if (options.DataFolder.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            errors.Add($"{P}:DataFolder holds characters that are not allowed in a path");
        if (options.MinFreeSpaceMB < 0)
            errors.Add($"{P}:MinFreeSpaceMB must be 0 or more, got {options.MinFreeSpaceMB}");
        if (!Enum.IsDefined(options.DuplicatePolicy))
            errors.Add($"{P}:DuplicatePolicy must be one of {string.Join(", ", Enum.GetNames<DuplicatePolicy>())}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
