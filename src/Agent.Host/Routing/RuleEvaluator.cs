namespace Agent.Host.Routing;

/// <summary>What one rule made of one series.</summary>
/// <param name="Fired">The rule's actions apply to the series.</param>
/// <param name="Matched">Its conditions held (a matched rule may still not fire: an earlier rule stopped evaluation).</param>
public sealed record RuleOutcome(Rule Rule, bool Matched, bool Fired, string Reason);

/// <summary>All rules' outcomes for one series, in evaluation order.</summary>
public sealed record RoutingDecision(RuleSet Rules, IReadOnlyList<RuleOutcome> Outcomes)
{
    public IEnumerable<RuleOutcome> Fired => Outcomes.Where(o => o.Fired);

    public bool AnyFired => Outcomes.Any(o => o.Fired);
}

/// <summary>
/// Evaluates a <see cref="RuleSet"/>: rules by descending priority then file order; the first rule that matches
/// fires and stops evaluation unless it says <c>continue: true</c>; the fallback rule fires only when no other
/// rule fired. Every rule gets an outcome with a reason, so "why not the others" always has an answer.
/// </summary>
public static class RuleEvaluator
{
    public static RoutingDecision Evaluate(RuleSet rules, RoutingFacts facts)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(facts);
        var outcomes = new List<RuleOutcome>(rules.Rules.Count);
        string? stoppedBy = null;
        var anyFired = false;
        foreach (var rule in rules.Rules.Where(r => !r.Fallback))
        {
            var result = rule.Match!.Evaluate(facts);
            if (!result.Matched)
            {
                outcomes.Add(new RuleOutcome(rule, false, false, result.Reason));
                continue;
            }
            if (stoppedBy is not null)
            {
                outcomes.Add(new RuleOutcome(rule, true, false, $"matched ({result.Reason}) but rule '{stoppedBy}' fired first and does not continue"));
                continue;
            }
            outcomes.Add(new RuleOutcome(rule, true, true, result.Reason));
            anyFired = true;
            if (!rule.Continue || rule.Actions.Any(a => a is IgnoreAction)) stoppedBy = rule.Name;
        }
        foreach (var rule in rules.Rules.Where(r => r.Fallback))
        {
            outcomes.Add(anyFired
                ? new RuleOutcome(rule, false, false, "fallback: another rule fired")
                : new RuleOutcome(rule, true, true, "fallback: no other rule matched"));
        }
        return new RoutingDecision(rules, outcomes);
    }
}
