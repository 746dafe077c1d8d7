using System.Net;
using Agent.Dicom;
using Agent.Dicom.Network.Server;
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
        if (options.MaxPduLength is < 4096 or > 16 * 1024 * 1024)
            errors.Add($"{P}:MaxPduLength must be 4096-16777216 bytes, got {options.MaxPduLength}");
        for (int i = 0; i < options.AcceptedCalledAeTitles.Count; i++)
        {
            var title = options.AcceptedCalledAeTitles[i];
            if (title?.Trim() != "*" && AeTitleProblem(title) is { } problem) errors.Add($"{P}:AcceptedCalledAeTitles:{i} {problem}");
        }
        for (int i = 0; i < options.AllowedPeers.Count; i++)
        {
            var peer = options.AllowedPeers[i];
            if (peer.AeTitle?.Trim() != "*" && AeTitleProblem(peer.AeTitle) is { } problem)
                errors.Add($"{P}:AllowedPeers:{i}:AeTitle {problem} (or \"*\" for any)");
            if (NetworkProblem(peer.Network) is { } network) errors.Add($"{P}:AllowedPeers:{i}:Network is not a CIDR network: {network}");
        }
        for (int i = 0; i < options.TransferSyntaxes.Count; i++)
        {
            var uid = options.TransferSyntaxes[i]?.Trim() ?? "";
            if (!DicomTransferSyntax.Known.Any(t => t.Uid == uid))
                errors.Add($"{P}:TransferSyntaxes:{i} is not a known transfer syntax UID: '{uid}'");
        }
        if (options.Tls.Enabled) DicomTlsValidator.Validate(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string? NetworkProblem(string? network)
    {
        if (string.IsNullOrWhiteSpace(network)) return "empty (use 0.0.0.0/0 for any IPv4 address)";
        try
        {
            IpNetwork.Parse(network);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
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
