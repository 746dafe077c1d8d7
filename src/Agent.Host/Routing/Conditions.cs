using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Agent.Dicom;

namespace Agent.Host.Routing;

/// <summary>Whether a condition held and, in words an administrator reads, why (not).</summary>
public readonly record struct ConditionResult(bool Matched, string Reason);

/// <summary>One node of a rule's <c>match:</c> tree.</summary>
public abstract class Condition
{
    public abstract ConditionResult Evaluate(RoutingFacts facts);
}

/// <summary><c>all:</c> (or several keys in one mapping): every child must hold; the reason names the first that did not.</summary>
public sealed class AllCondition(IReadOnlyList<Condition> children) : Condition
{
    public IReadOnlyList<Condition> Children { get; } = children;

    public override ConditionResult Evaluate(RoutingFacts facts)
    {
        var reasons = new List<string>(Children.Count);
        foreach (var child in Children)
        {
            var r = child.Evaluate(facts);
            if (!r.Matched) return r;
            reasons.Add(r.Reason);
        }
        return new ConditionResult(true, string.Join(" and ", reasons));
    }
}

/// <summary><c>any:</c>: at least one child must hold.</summary>
public sealed class AnyCondition(IReadOnlyList<Condition> children) : Condition
{
    public IReadOnlyList<Condition> Children { get; } = children;

    public override ConditionResult Evaluate(RoutingFacts facts)
    {
        var reasons = new List<string>(Children.Count);
        foreach (var child in Children)
        {
            var r = child.Evaluate(facts);
            if (r.Matched) return r;
            reasons.Add(r.Reason);
        }
        return new ConditionResult(false, "none of (" + string.Join("; ", reasons) + ")");
    }
}

/// <summary><c>not:</c>: the child must not hold.</summary>
public sealed class NotCondition(Condition child) : Condition
{
    public override ConditionResult Evaluate(RoutingFacts facts)
    {
        var r = child.Evaluate(facts);
        return new ConditionResult(!r.Matched, "not (" + r.Reason + ")");
    }
}

/// <summary>Where a field's values come from: a DICOM data element or the association.</summary>
public sealed class FieldRef
{
    private readonly Func<RoutingFacts, IReadOnlyList<string>?> _values;

    private FieldRef(string name, Func<RoutingFacts, IReadOnlyList<string>?> values)
    {
        Name = name;
        _values = values;
    }

    public string Name { get; }

    public IReadOnlyList<string>? Values(RoutingFacts facts) => _values(facts);

    public static FieldRef Tag(string name, DicomTag tag) => new(name, f => f.Values(tag));

    public static FieldRef CallingAe { get; } = new("calling_ae", f => f.CallingAe is null ? null : [f.CallingAe.Trim()]);

    public static FieldRef CalledAe { get; } = new("called_ae", f => f.CalledAe is null ? null : [f.CalledAe.Trim()]);

    public static FieldRef Source { get; } = new("source", f => f.Source is null ? null : [f.Source.ToString()]);
}

/// <summary>The comparison a field condition applies.</summary>
public enum FieldOperator
{
    Equals,
    OneOf,
    Regex,
    Range,
    Exists,
    Missing,
    Contains,
    Cidr,
}

/// <summary>
/// A test of one field. Text comparisons ignore case (CS values are upper case by definition, but people type
/// "ct"); <c>regex</c> is case-sensitive unless the pattern says <c>(?i)</c>. A multi-valued element is compared as
/// its whole value (values joined by backslash) except by <c>contains</c>, which looks for one value.
/// </summary>
public sealed class FieldCondition : Condition
{
    public required FieldRef Field { get; init; }

    public required FieldOperator Operator { get; init; }

    public IReadOnlyList<string> Operands { get; init; } = [];

    public Regex? Pattern { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public IReadOnlyList<(IPAddress Network, int PrefixLength)> Networks { get; init; } = [];

    public override ConditionResult Evaluate(RoutingFacts facts)
    {
        var values = Field.Values(facts);
        var name = Field.Name;
        if (Operator == FieldOperator.Exists)
            return new(values is not null, values is not null ? $"{name} is present" : $"{name} is missing");
        if (Operator == FieldOperator.Missing)
            return new(values is null, values is null ? $"{name} is missing" : $"{name} is present ({Show(values)})");
        if (values is null) return new(false, $"{name} is missing");

        var whole = string.Join('\\', values);
        switch (Operator)
        {
            case FieldOperator.Equals:
                return Same(whole, Operands[0])
                    ? new(true, $"{name} is {Operands[0]}")
                    : new(false, $"{name} is {Show(values)}, not {Operands[0]}");
            case FieldOperator.OneOf:
                return Operands.Any(o => Same(whole, o))
                    ? new(true, $"{name} {Show(values)} is one of [{string.Join(", ", Operands)}]")
                    : new(false, $"{name} is {Show(values)}, not one of [{string.Join(", ", Operands)}]");
            case FieldOperator.Contains:
                return values.Any(v => Same(v, Operands[0]))
                    ? new(true, $"{name} contains {Operands[0]}")
                    : new(false, $"{name} ({Show(values)}) does not contain {Operands[0]}");
            case FieldOperator.Regex:
                bool hit;
                try
                {
                    hit = Pattern!.IsMatch(whole);
                }
                catch (RegexMatchTimeoutException)
                {
                    return new(false, $"{name}: regex /{Pattern}/ timed out");
                }
                return hit ? new(true, $"{name} {Show(values)} matches /{Pattern}/") : new(false, $"{name} is {Show(values)}, does not match /{Pattern}/");
            case FieldOperator.Range:
                return EvaluateRange(name, values);
            case FieldOperator.Cidr:
                return EvaluateCidr(name, values);
            default:
                return new(false, $"{name}: unknown operator");
        }
    }

    private ConditionResult EvaluateRange(string name, IReadOnlyList<string> values)
    {
        var range = string.Create(CultureInfo.InvariantCulture, $"[{(Min is { } lo ? lo : "-inf")}, {(Max is { } hi ? hi : "inf")}]");
        if (values.Count == 0 || !double.TryParse(values[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var x))
            return new(false, $"{name} ({Show(values)}) is not a number");
        var inside = (Min is null || x >= Min) && (Max is null || x <= Max);
        return inside ? new(true, $"{name} {values[0]} is in {range}") : new(false, $"{name} {values[0]} is outside {range}");
    }

    private ConditionResult EvaluateCidr(string name, IReadOnlyList<string> values)
    {
        if (values.Count == 0 || !IPAddress.TryParse(values[0], out var address)) return new(false, $"{name} is not an IP address");
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var nets = string.Join(", ", Operands);
        foreach (var (network, prefix) in Networks)
        {
            if (new IPNetwork(network, prefix).Contains(address)) return new(true, $"{name} {address} is in {nets}");
        }
        return new(false, $"{name} {address} is not in {nets}");
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Show(IReadOnlyList<string> values) => values.Count == 0 ? "empty" : '"' + string.Join('\\', values) + '"';
}

/// <summary><c>time:</c> a daily window (may wrap past midnight) and optional weekdays, in a given time zone.</summary>
public sealed class TimeWindowCondition : Condition
{
    public TimeOnly? From { get; init; }

    public TimeOnly? Until { get; init; }

    public IReadOnlySet<DayOfWeek>? Days { get; init; }

    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Local;

    public override ConditionResult Evaluate(RoutingFacts facts)
    {
        var local = TimeZoneInfo.ConvertTime(facts.At, Zone);
        var when = local.ToString("ddd HH:mm", CultureInfo.InvariantCulture);
        if (Days is not null && !Days.Contains(local.DayOfWeek))
            return new(false, $"time {when} ({Zone.Id}) is not on {string.Join("/", Days.Order().Select(d => d.ToString()[..3]))}");
        if (From is { } from && Until is { } until)
        {
            var t = TimeOnly.FromDateTime(local.DateTime);
            var inside = from <= until ? t >= from && t < until : t >= from || t < until;
            var window = string.Create(CultureInfo.InvariantCulture, $"{from:HH\\:mm}-{until:HH\\:mm}");
            return inside ? new(true, $"time {when} is within {window}") : new(false, $"time {when} ({Zone.Id}) is outside {window}");
        }
        return new(true, $"time {when} is an allowed day");
    }
}
