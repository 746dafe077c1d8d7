using Agent.Dicom.Network.Dimse;
using Microsoft.Extensions.Options;

namespace Agent.Host.Delivery;

/// <summary>Checks every destination, reporting each problem with its configuration key.</summary>
public sealed class DestinationsOptionsValidator : IValidateOptions<DestinationsOptions>
{
    public ValidateOptionsResult Validate(string? name, DestinationsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var (key, d) in options)
        {
            var path = $"{DestinationsOptions.Section}:{key}";
            if (!IsAeTitle(d.AeTitle)) errors.Add($"{path}:AeTitle: must be 1-16 characters without backslash or control characters");
            if (!IsAeTitle(d.CallingAeTitle)) errors.Add($"{path}:CallingAeTitle: must be 1-16 characters without backslash or control characters");
            if (string.IsNullOrWhiteSpace(d.Host)) errors.Add($"{path}:Host: is required");
            if (d.Port is < 1 or > 65535) errors.Add($"{path}:Port: must be 1-65535");
            if (d.Concurrency is < 1 or > 16) errors.Add($"{path}:Concurrency: must be 1-16");
            if (d.MaxAttempts is < 1 or > 1000) errors.Add($"{path}:MaxAttempts: must be 1-1000");
            if (d.BaseDelaySeconds is < 0 or > 86400) errors.Add($"{path}:BaseDelaySeconds: must be 0-86400");
            if (d.MaxDelaySeconds < d.BaseDelaySeconds || d.MaxDelaySeconds > 86400) errors.Add($"{path}:MaxDelaySeconds: must be BaseDelaySeconds-86400");
            if (d.ConnectTimeoutSeconds is < 1 or > 600) errors.Add($"{path}:ConnectTimeoutSeconds: must be 1-600");
            if (d.MaxInstancesPerAssociation is < 1 or > 100_000) errors.Add($"{path}:MaxInstancesPerAssociation: must be 1-100000");
            for (var i = 0; i < d.PermanentStatuses.Count; i++)
            {
                var text = d.PermanentStatuses[i];
                if (!DestinationOptions.TryParseStatus(text, out var code))
                    errors.Add($"{path}:PermanentStatuses:{i}: '{text}' is not a DIMSE status; write four hex digits, e.g. 0122 or 0xA900");
                else if (new DimseStatus(code).Category != DimseStatusCategory.Failure)
                    errors.Add($"{path}:PermanentStatuses:{i}: {new DimseStatus(code)} is not a failure status (PS3.7 Annex C); only failures can be permanent");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsAeTitle(string? ae) =>
        ae is { Length: > 0 and <= 16 } && !string.IsNullOrWhiteSpace(ae) && ae.All(c => c >= 0x20 && c < 0x7F && c != '\\');
}
