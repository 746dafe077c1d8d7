namespace Agent.Host.Routing;

/// <summary>Routing of completed series (section <c>Agent:Routing</c>).</summary>
public sealed class RoutingOptions
{
    public const string Section = "Agent:Routing";

    /// <summary>Rules file, relative to AGENT_HOME unless absolute; reloaded when it changes.</summary>
    public string RulesFile { get; set; } = "config/rules.yaml";

    /// <summary>False: received series are stored but never routed (a pure archive node).</summary>
    public bool Enabled { get; set; } = true;
}
