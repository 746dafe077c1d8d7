namespace Agent.Host.Routing;

/// <summary>Routing of completed series (section <c>Agent:Routing</c>).</summary>
public sealed class RoutingOptions
{
    public const string Section = "Agent:Routing";

    /// <summary>Rules file, relative to AGENT_HOME unless absolute; reloaded when it changes.</summary>
    public string RulesFile { get; set; } = "config/rules.yaml";

    /// <summary>False: received series are stored but never routed (a pure archive node).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where segment jobs run models: auto (CUDA when present), cpu or cuda:N.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Models running at once on one device (bounds memory; more workers then wait their turn).</summary>
    public int ConcurrentInferencesPerDevice { get; set; } = 1;
}
