using System.Globalization;

namespace Agent.Host.Delivery;

/// <summary>One C-STORE destination under <c>Agent:Destinations:&lt;name&gt;</c>.</summary>
public sealed class DestinationOptions
{
    public string AeTitle { get; set; } = "";
    public string Host { get; set; } = "";
    public int Port { get; set; } = 104;
    public string CallingAeTitle { get; set; } = "AGENT";

    /// <summary>Associations open to this destination at once.</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>Attempts before a delivery is given up (failed).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxDelaySeconds"/>.</summary>
    public int BaseDelaySeconds { get; set; } = 30;
    public int MaxDelaySeconds { get; set; } = 3600;
    public int ConnectTimeoutSeconds { get; set; } = 15;

    /// <summary>Deliveries due together (e.g. a forwarded series) sent over one association at most.</summary>
    public int MaxInstancesPerAssociation { get; set; } = 1000;

    /// <summary>
    /// C-STORE failure statuses (hex, e.g. <c>0122</c> or <c>0xA900</c>) that fail a delivery at once instead of being
    /// retried. Empty by default: every failure is retried up to <see cref="MaxAttempts"/>, because PS3.7 does not say
    /// which failures are transient and archives answer 0xC000 or 0x0110 for passing faults too.
    /// </summary>
    public IList<string> PermanentStatuses { get; } = [];

    /// <summary>The codes of <see cref="PermanentStatuses"/>; entries that do not parse are left out (the validator reports them).</summary>
    public IReadOnlySet<ushort> PermanentStatusCodes()
    {
        var codes = new HashSet<ushort>();
        foreach (var text in PermanentStatuses)
            if (TryParseStatus(text, out var code)) codes.Add(code);
        return codes;
    }

    /// <summary>A DIMSE status written as four hex digits, optionally with a 0x prefix ("A900", "0xa900").</summary>
    public static bool TryParseStatus(string? text, out ushort code)
    {
        code = 0;
        var s = text?.Trim() ?? "";
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        return s.Length == 4 && ushort.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code);
    }
}

/// <summary>Every configured destination by name (<c>Agent:Destinations</c>).</summary>
public sealed class DestinationsOptions : Dictionary<string, DestinationOptions>
{
    public const string Section = "Agent:Destinations";

    public DestinationsOptions() : base(StringComparer.OrdinalIgnoreCase) { }
}
