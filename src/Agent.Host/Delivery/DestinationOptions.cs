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
}

/// <summary>Every configured destination by name (<c>Agent:Destinations</c>).</summary>
public sealed class DestinationsOptions : Dictionary<string, DestinationOptions>
{
    public const string Section = "Agent:Destinations";

    public DestinationsOptions() : base(StringComparer.OrdinalIgnoreCase) { }
}
