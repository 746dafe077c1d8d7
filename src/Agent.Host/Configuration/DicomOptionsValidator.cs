using System.Net;
using Microsoft.Extensions.Options;

namespace Agent.Host.Configuration;

/// <summary>Checks <see cref="DicomOptions"/>, collecting every problem with the key that causes it.</summary>
public sealed class DicomOptionsValidator : IValidateOptions<DicomOptions>
{
    private const string P = DicomOptions.Section;

    public ValidateOptionsResult Validate(string? name, DicomOptions options)
    {
        var errors = new List<string>();
        if (AeTitleProblem(options.AeTitle) is { } ae) errors.Add($"{P}:AeTitle {ae}");
        if (options.Port is < 0 or > 65535)
            errors.Add($"{P}:Port must be 1-65535 (or 0 for a free port chosen at start), got {options.Port}");
        if (!IPAddress.TryParse(options.BindAddress, out _))
            errors.Add($"{P}:BindAddress must be an IP address such as 0.0.0.0 or 127.0.0.1, got '{options.BindAddress}'");
        if (options.MaxAssociations is < 1 or > 1000)
            errors.Add($"{P}:MaxAssociations must be 1-1000, got {options.MaxAssociations}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>PS3.5 AE VR: at most 16 characters of the default repertoire, no backslash or control characters, not blank.</summary>
    internal static string? AeTitleProblem(string? aeTitle)
    {
        if (string.IsNullOrWhiteSpace(aeTitle)) return "must not be empty";
        var trimmed = aeTitle.Trim(' ');
        if (trimmed.Length > 16) return $"must be at most 16 characters, got {trimmed.Length} ('{trimmed}')";
        foreach (var c in trimmed)
            if (c is < ' ' or > '~' or '\\')
                return $"may only hold printable ASCII without backslash, got '{trimmed}'";
        return null;
    }
}
