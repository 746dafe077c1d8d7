namespace Agent.Host.Routing;

/// <summary>What happens when more instances of an already routed series arrive.</summary>
public enum RearrivalPolicy
{
    /// <summary>Record the decision, run nothing again.</summary>
    Ignore,

    /// <summary>Run the pipeline again; the earlier results stay.</summary>
    Rerun,

    /// <summary>Run the pipeline again; its outputs supersede the earlier ones.</summary>
    RerunSupersede,
}

/// <summary>Whether completion waits for the series alone or the whole study to be quiet.</summary>
public enum CompletionLevel
{
    Series,
    Study,
}

/// <summary>When a rule considers its series complete.</summary>
public sealed record CompletionPolicy(TimeSpan QuietPeriod, int? ExpectedCount, RearrivalPolicy OnRearrival, CompletionLevel Level);

/// <summary>One action of a rule, in file order.</summary>
public abstract record RuleAction(int Line);

/// <summary>
/// <c>run: NAME[@VERSION]</c> or <c>run: {model: NAME[@VERSION], send_to: [DEST...]}</c>: a pipeline with a model
/// (version null = the newest installed); its outputs are delivered to <see cref="SendTo"/>.
/// </summary>
public sealed record RunAction(int Line, string Pipeline, string Model, string? ModelVersion) : RuleAction(Line)
{
    public IReadOnlyList<string> SendTo { get; init; } = [];

    public string ModelSpec => ModelVersion is null ? Model : Model + "@" + ModelVersion;
}

/// <summary><c>forward: [DEST...]</c>: send the original series to configured destinations.</summary>
public sealed record ForwardAction(int Line, IReadOnlyList<string> Destinations) : RuleAction(Line);

/// <summary><c>notify: URL</c>: POST a JSON summary of the decision to a webhook.</summary>
public sealed record NotifyAction(int Line, Uri Url) : RuleAction(Line);

/// <summary><c>ignore</c>: explicitly do nothing (and stop evaluating further rules).</summary>
public sealed record IgnoreAction(int Line) : RuleAction(Line);

/// <summary>A named rule. Rules are tried by descending priority, then file order.</summary>
public sealed class Rule
{
    public required string Name { get; init; }

    public int Line { get; init; }

    public int Priority { get; init; }

    public bool Fallback { get; init; }

    /// <summary>When true, rules after this one are still tried after it fired.</summary>
    public bool Continue { get; init; }

    /// <summary>Null = matches everything (only allowed for a fallback rule).</summary>
    public Condition? Match { get; init; }

    public required IReadOnlyList<RuleAction> Actions { get; init; }

    public required CompletionPolicy Completion { get; init; }
}

/// <summary>A validated rules file. <see cref="Version"/> goes into every recorded decision.</summary>
public sealed class RuleSet
{
    public required string Version { get; init; }

    public required string SourcePath { get; init; }

    /// <summary>In evaluation order: descending priority, then file order.</summary>
    public required IReadOnlyList<Rule> Rules { get; init; }

    public required CompletionPolicy Defaults { get; init; }

    /// <summary>The shortest quiet period of any rule: a series cannot be complete for any rule before it.</summary>
    public TimeSpan ShortestQuietPeriod => Rules.Count == 0 ? Defaults.QuietPeriod : Rules.Min(r => r.Completion.QuietPeriod);

    public static RuleSet Empty(string path) => new()
    {
        Version = "none",
        SourcePath = path,
        Rules = [],
        Defaults = new CompletionPolicy(TimeSpan.FromSeconds(30), null, RearrivalPolicy.Ignore, CompletionLevel.Series),
    };
}

/// <summary>One problem in a rules file, located for the person who has to fix it.</summary>
public sealed record RuleError(string File, int Line, int Column, string Reason)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Reason}";
}

/// <summary>The rules file is invalid; <see cref="Errors"/> lists every problem found, each with file:line.</summary>
public sealed class RulesFileException : Exception
{
    public RulesFileException(IReadOnlyList<RuleError> errors)
        : base(string.Join(Environment.NewLine, errors ?? []))
    {
        Errors = errors ?? [];
    }

    public RulesFileException() : this([]) { }

    public RulesFileException(string message) : base(message) { Errors = []; }

    public RulesFileException(string message, Exception inner) : base(message, inner) { Errors = []; }

    public IReadOnlyList<RuleError> Errors { get; }
}
