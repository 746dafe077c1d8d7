using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Agent.Dicom;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Agent.Host.Routing;

/// <summary>
/// Reads <c>config/rules.yaml</c> into a <see cref="RuleSet"/>. Strict on purpose: an unknown key, a misspelt DICOM
/// keyword, a bad regex or CIDR is an error with file:line, never silently a rule that matches nothing. All errors
/// of a file are collected, not just the first. Given the configured destination names, a <c>send_to</c> or
/// <c>forward</c> naming any other is an error too (it would queue deliveries that nothing ever sends).
/// </summary>
public static class RuleParser
{
    private const int MaxDepth = 32;
    private const int MaxFileBytes = 1 << 20;

    private static readonly string[] RuleKeys = ["name", "priority", "fallback", "continue", "match", "actions", "completion", "enabled", "description"];
    private static readonly string[] CompletionKeys = ["quiet_seconds", "expected_count", "on_rearrival", "level"];
    private static readonly string[] OperatorKeys = ["equals", "one_of", "regex", "range", "min", "max", "exists", "missing", "contains", "cidr"];

    /// <param name="path">The rules file.</param>
    /// <param name="destinations">Configured destination names (<c>Agent:Destinations</c>); null: not checked.</param>
    public static RuleSet Load(string path, IReadOnlyCollection<string>? destinations = null)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new RulesFileException([new RuleError(path, 0, 0, "file not found")]);
        if (info.Length > MaxFileBytes) throw new RulesFileException([new RuleError(path, 0, 0, $"file is larger than {MaxFileBytes} bytes")]);
        return Parse(File.ReadAllText(path), path, destinations);
    }

    /// <param name="text">YAML.</param>
    /// <param name="fileName">Named in errors.</param>
    /// <param name="destinations">Configured destination names (<c>Agent:Destinations</c>); null: not checked.</param>
    public static RuleSet Parse(string text, string fileName, IReadOnlyCollection<string>? destinations = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ctx = new Context(fileName, destinations);
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new RulesFileException([new RuleError(fileName, (int)e.Start.Line, (int)e.Start.Column, "YAML syntax: " + Inner(e))]);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet reports some malformed documents (e.g. an unclosed flow mapping) without a position.
            var at = parser.Current?.Start;
            throw new RulesFileException([new RuleError(fileName, (int)(at?.Line ?? 0), (int)(at?.Column ?? 0), "YAML syntax: the document is not well formed near here")]);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new RulesFileException([new RuleError(fileName, 1, 1, "expected one YAML document with 'version', 'defaults' and 'rules'")]);

        ctx.CheckKeys(root, ["version", "defaults", "rules"]);
        var version = root.Children.TryGetValue(new YamlScalarNode("version"), out var v) && v is YamlScalarNode vs && !string.IsNullOrWhiteSpace(vs.Value)
            ? vs.Value!
            : "sha-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

        var defaults = new CompletionPolicy(TimeSpan.FromSeconds(30), null, RearrivalPolicy.Ignore, CompletionLevel.Series);
        if (Get(root, "defaults") is { } defaultsNode) defaults = ctx.Completion(defaultsNode, defaults);

        var rules = new List<Rule>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var fallbacks = 0;
        switch (Get(root, "rules"))
        {
            case null:
                ctx.Error(root, "missing 'rules' (a list of rules)");
                break;
            case YamlSequenceNode seq:
                foreach (var node in seq.Children)
                {
                    if (ctx.Rule(node, defaults) is not { } rule) continue;
                    if (names.TryGetValue(rule.Name, out var first))
                    {
                        ctx.Error(node, $"duplicate rule name '{rule.Name}' (first defined on line {first})");
                        continue;
                    }
                    names[rule.Name] = rule.Line;
                    if (rule.Fallback && ++fallbacks > 1) ctx.Error(node, "only one fallback rule is allowed");
                    rules.Add(rule);
                }
                break;
            case var other:
                ctx.Error(other, "'rules' must be a list");
                break;
        }

        if (ctx.Errors.Count > 0) throw new RulesFileException(ctx.Errors);
        // Stable: equal priorities keep file order.
        var ordered = rules.Select((r, i) => (r, i)).OrderByDescending(x => x.r.Priority).ThenBy(x => x.i).Select(x => x.r).ToList();
        return new RuleSet { Version = version, SourcePath = fileName, Rules = ordered, Defaults = defaults };
    }

    private static string Inner(Exception e) => e.InnerException is { } i ? e.Message + " (" + i.Message + ")" : e.Message;

    private static YamlNode? Get(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var n) ? n : null;

    private sealed class Context(string file, IReadOnlyCollection<string>? destinations)
    {
        public List<RuleError> Errors { get; } = [];

        // Names must match a configured destination exactly: the outbox and its senders compare them as written.
        private void CheckDestinations(YamlNode value, string action)
        {
            if (destinations is null) return;
            var items = value is YamlSequenceNode seq ? seq.Children : (IEnumerable<YamlNode>)[value];
            foreach (var item in items)
            {
                if (item is not YamlScalarNode { Value: { Length: > 0 } name } || destinations.Contains(name, StringComparer.Ordinal)) continue;
                if (destinations.Count == 0)
                {
                    Error(item, $"{action}: unknown destination '{name}': no destinations are configured; add one under Agent:Destinations:{name} " +
                                "(AeTitle, Host, Port) in config/appsettings.json or the --config file");
                    continue;
                }
                var hint = destinations.FirstOrDefault(d => string.Equals(d, name, StringComparison.OrdinalIgnoreCase));
                Error(item, $"{action}: unknown destination '{name}'" + (hint is null ? "" : $" (did you mean {hint}? names are case-sensitive)") +
                            $"; configured under Agent:Destinations: {string.Join(", ", destinations.Order(StringComparer.Ordinal))}");
            }
        }

        public void Error(YamlNode node, string reason) => Errors.Add(new RuleError(file, (int)node.Start.Line, (int)node.Start.Column, reason));

        public void CheckKeys(YamlMappingNode map, string[] allowed)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value;
                if (name is null || !allowed.Contains(name, StringComparer.Ordinal))
                    Error(key, $"unknown key '{name}' (expected one of: {string.Join(", ", allowed)})");
            }
        }

        public string? Scalar(YamlNode node, string what)
        {
            if (node is YamlScalarNode s && s.Value is not null) return s.Value;
            Error(node, $"{what} must be a single value");
            return null;
        }

        public bool? Bool(YamlNode node, string what)
        {
            var s = Scalar(node, what);
            if (s is null) return null;
            if (bool.TryParse(s, out var b)) return b;
            Error(node, $"{what} must be true or false, got '{s}'");
            return null;
        }

        public int? Int(YamlNode node, string what, int min, int max)
        {
            var s = Scalar(node, what);
            if (s is null) return null;
            if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= min && i <= max) return i;
            Error(node, $"{what} must be a whole number from {min} to {max}, got '{s}'");
            return null;
        }

        public double? Number(YamlNode node, string what)
        {
            var s = Scalar(node, what);
            if (s is null) return null;
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
            Error(node, $"{what} must be a number, got '{s}'");
            return null;
        }

        public List<string> Strings(YamlNode node, string what)
        {
            if (node is YamlSequenceNode seq)
                return seq.Children.Select(c => Scalar(c, what + " item")).OfType<string>().ToList();
            return Scalar(node, what) is { } s ? [s] : [];
        }

        public CompletionPolicy Completion(YamlNode node, CompletionPolicy inherited)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, "completion settings must be a mapping (quiet_seconds, expected_count, on_rearrival, level)");
                return inherited;
            }
            CheckKeys(map, CompletionKeys);
            var result = inherited;
            if (Get(map, "quiet_seconds") is { } q && Int(q, "quiet_seconds", 1, 86_400) is { } seconds)
                result = result with { QuietPeriod = TimeSpan.FromSeconds(seconds) };
            if (Get(map, "expected_count") is { } e && Int(e, "expected_count", 1, 100_000) is { } count)
                result = result with { ExpectedCount = count };
            if (Get(map, "on_rearrival") is { } r && Scalar(r, "on_rearrival") is { } policy)
            {
                switch (policy)
                {
                    case "ignore": result = result with { OnRearrival = RearrivalPolicy.Ignore }; break;
                    case "rerun": result = result with { OnRearrival = RearrivalPolicy.Rerun }; break;
                    case "rerun_supersede": result = result with { OnRearrival = RearrivalPolicy.RerunSupersede }; break;
                    default: Error(r, $"on_rearrival must be ignore, rerun or rerun_supersede, got '{policy}'"); break;
                }
            }
            if (Get(map, "level") is { } l && Scalar(l, "level") is { } level)
            {
                switch (level)
                {
                    case "series": result = result with { Level = CompletionLevel.Series }; break;
                    case "study": result = result with { Level = CompletionLevel.Study }; break;
                    default: Error(l, $"level must be series or study, got '{level}'"); break;
                }
            }
            return result;
        }

        public Rule? Rule(YamlNode node, CompletionPolicy defaults)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, "a rule must be a mapping with at least 'name' and 'actions'");
                return null;
            }
            var before = Errors.Count;
            CheckKeys(map, RuleKeys);
            string? name = null;
            if (Get(map, "name") is { } n) name = Scalar(n, "name");
            if (string.IsNullOrWhiteSpace(name))
            {
                Error(map, "rule has no 'name'");
                name = null;
            }
            var priority = Get(map, "priority") is { } p ? Int(p, "priority", -1_000_000, 1_000_000) ?? 0 : 0;
            var fallback = Get(map, "fallback") is { } f && (Bool(f, "fallback") ?? false);
            var cont = Get(map, "continue") is { } c && (Bool(c, "continue") ?? false);
            var enabled = Get(map, "enabled") is not { } en || (Bool(en, "enabled") ?? true);

            Condition? match = null;
            var matchNode = Get(map, "match");
            if (matchNode is not null && fallback) Error(matchNode, "a fallback rule fires when no other rule matched; it takes no 'match'");
            else if (matchNode is not null) match = Condition(matchNode, 0);
            else if (!fallback) Error(map, $"rule '{name}' has no 'match' (only a fallback rule may match everything)");

            var actions = new List<RuleAction>();
            if (Get(map, "actions") is { } a) actions = Actions(a);
            else Error(map, $"rule '{name}' has no 'actions'");

            var completion = Get(map, "completion") is { } comp ? Completion(comp, defaults) : defaults;
            if (Errors.Count > before || name is null || !enabled) return null;
            return new Rule
            {
                Name = name,
                Line = (int)map.Start.Line,
                Priority = priority,
                Fallback = fallback,
                Continue = cont,
                Match = match,
                Actions = actions,
                Completion = completion,
            };
        }

        private List<RuleAction> Actions(YamlNode node)
        {
            var result = new List<RuleAction>();
            if (node is not YamlSequenceNode seq || seq.Children.Count == 0)
            {
                Error(node, "'actions' must be a non-empty list (run, forward, notify, ignore)");
                return result;
            }
            foreach (var item in seq.Children)
            {
                var line = (int)item.Start.Line;
                if (item is YamlScalarNode { Value: "ignore" })
                {
                    result.Add(new IgnoreAction(line));
                    continue;
                }
                if (item is not YamlMappingNode { Children.Count: 1 } one)
                {
                    Error(item, "an action is 'ignore' or a single key: run, forward, notify");
                    continue;
                }
                var (keyNode, value) = one.Children.First();
                switch ((keyNode as YamlScalarNode)?.Value)
                {
                    case "run":
                        if (Run(value) is { } run) result.Add(run);
                        break;
                    case "forward":
                        var targets = Strings(value, "forward destination");
                        if (targets.Count == 0 || targets.Any(string.IsNullOrWhiteSpace)) Error(value, "forward needs one or more destination names");
                        else result.Add(new ForwardAction(line, targets));
                        CheckDestinations(value, "forward");
                        break;
                    case "notify":
                        var url = Scalar(value, "notify URL");
                        if (url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                            result.Add(new NotifyAction(line, uri));
                        else if (url is not null) Error(value, $"notify needs an absolute http(s) URL, got '{url}'");
                        break;
                    case "ignore":
                        if (Bool(value, "ignore") == true) result.Add(new IgnoreAction(line));
                        break;
                    case var other:
                        Error(keyNode, $"unknown action '{other}' (expected run, forward, notify or ignore)");
                        break;
                }
            }
            if (result.OfType<IgnoreAction>().Any() && result.Count > 1)
                Error(node, "'ignore' cannot be combined with other actions");
            return result;
        }

        private RunAction? Run(YamlNode value)
        {
            string? spec;
            var pipeline = "segment";
            List<string> sendTo = [];
            if (value is YamlMappingNode map)
            {
                CheckKeys(map, ["model", "pipeline", "send_to"]);
                if (Get(map, "send_to") is { } st)
                {
                    sendTo = Strings(st, "send_to");
                    if (sendTo.Count == 0 || sendTo.Any(string.IsNullOrWhiteSpace)) Error(st, "send_to needs one or more destination names");
                    CheckDestinations(st, "send_to");
                }
                spec = Get(map, "model") is { } m ? Scalar(m, "model") : null;
                if (Get(map, "pipeline") is { } p && Scalar(p, "pipeline") is { } ps) pipeline = ps;
                if (pipeline != "segment") Error(map, $"unknown pipeline '{pipeline}' (available: segment)");
            }
            else
            {
                spec = Scalar(value, "run");
            }
            if (string.IsNullOrWhiteSpace(spec))
            {
                Error(value, "run needs a model: NAME or NAME@VERSION");
                return null;
            }
            var (model, version) = Pipelines.ModelCatalog.SplitSpec(spec);
            if (model.Length == 0 || version is { Length: 0 } || model.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.')))
            {
                Error(value, $"'{spec}' is not NAME or NAME@VERSION (letters, digits, '-', '_', '.')");
                return null;
            }
            return new RunAction((int)value.Start.Line, pipeline, model, version) { SendTo = sendTo };
        }

        public Condition? Condition(YamlNode node, int depth)
        {
            if (depth > MaxDepth)
            {
                Error(node, $"conditions nested deeper than {MaxDepth}");
                return null;
            }
            if (node is YamlSequenceNode list) return Group(list, depth, all: true);
            if (node is not YamlMappingNode map || map.Children.Count == 0)
            {
                Error(node, "a condition is a mapping such as 'Modality: CT', or 'all:'/'any:'/'not:'");
                return null;
            }
            var parts = new List<Condition>();
            foreach (var (keyNode, value) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                Condition? c = key switch
                {
                    "all" => value is YamlSequenceNode s ? Group(s, depth, all: true) : Fail(value, "'all' takes a list of conditions"),
                    "any" => value is YamlSequenceNode s ? Group(s, depth, all: false) : Fail(value, "'any' takes a list of conditions"),
                    "not" => Condition(value, depth + 1) is { } inner ? new NotCondition(inner) : null,
                    "time" => Time(value),
                    _ => Field(keyNode, key, value),
                };
                if (c is not null) parts.Add(c);
            }
            return parts.Count == 1 ? parts[0] : new AllCondition(parts);
        }

        private Condition? Fail(YamlNode node, string reason)
        {
            Error(node, reason);
            return null;
        }

        private Condition? Group(YamlSequenceNode list, int depth, bool all)
        {
            if (list.Children.Count == 0) return Fail(list, "an empty condition list matches nothing useful; remove it");
            var children = list.Children.Select(c => Condition(c, depth + 1)).OfType<Condition>().ToList();
            return all ? new AllCondition(children) : new AnyCondition(children);
        }

        private FieldRef? FieldFor(YamlNode keyNode, string key)
        {
            switch (key)
            {
                case "calling_ae": return FieldRef.CallingAe;
                case "called_ae": return FieldRef.CalledAe;
                case "source": return FieldRef.Source;
            }
            if (key.StartsWith('(') || (key.Length == 8 && key.All(char.IsAsciiHexDigit)))
            {
                if (DicomTag.TryParse(key, out var tag)) return FieldRef.Tag(key, tag);
                Error(keyNode, $"'{key}' is not a tag; write (gggg,eeee)");
                return null;
            }
            if (DicomDictionary.TryLookup(key, out var entry) && !entry.IsRepeatingGroup) return FieldRef.Tag(key, new DicomTag(entry.Tag));
            var hint = DicomDictionary.Entries.FirstOrDefault(e => string.Equals(e.Keyword, key, StringComparison.OrdinalIgnoreCase))?.Keyword;
            Error(keyNode, $"unknown DICOM keyword '{key}'" + (hint is null ? " (keywords are case-sensitive, e.g. SeriesDescription; or use a tag (gggg,eeee), calling_ae, called_ae, source, time)" : $" (did you mean {hint}?)"));
            return null;
        }

        private Condition? Field(YamlNode keyNode, string key, YamlNode value)
        {
            if (FieldFor(keyNode, key) is not { } field) return null;
            switch (value)
            {
                case YamlScalarNode s:
                    if (field == FieldRef.Source) return Cidr(field, value, [s.Value ?? ""]);
                    return new FieldCondition { Field = field, Operator = FieldOperator.Equals, Operands = [s.Value ?? ""] };
                case YamlSequenceNode seq:
                    var items = Strings(seq, key);
                    if (field == FieldRef.Source) return Cidr(field, value, items);
                    return items.Count == 0 ? Fail(seq, $"{key}: empty list") : new FieldCondition { Field = field, Operator = FieldOperator.OneOf, Operands = items };
                case YamlMappingNode ops:
                    return Operators(field, ops);
                default:
                    return Fail(value, $"{key}: unsupported value");
            }
        }

        private Condition? Operators(FieldRef field, YamlMappingNode ops)
        {
            CheckKeys(ops, OperatorKeys);
            var parts = new List<Condition>();
            double? min = null, max = null;
            var hasRange = false;
            foreach (var (keyNode, value) in ops.Children)
            {
                var op = (keyNode as YamlScalarNode)?.Value;
                switch (op)
                {
                    case "equals":
                        if (Scalar(value, "equals") is { } eq) parts.Add(new FieldCondition { Field = field, Operator = FieldOperator.Equals, Operands = [eq] });
                        break;
                    case "one_of":
                        var items = Strings(value, "one_of");
                        if (value is not YamlSequenceNode || items.Count == 0) Error(value, "one_of takes a non-empty list");
                        else parts.Add(new FieldCondition { Field = field, Operator = FieldOperator.OneOf, Operands = items });
                        break;
                    case "contains":
                        if (Scalar(value, "contains") is { } item) parts.Add(new FieldCondition { Field = field, Operator = FieldOperator.Contains, Operands = [item] });
                        break;
                    case "regex":
                        if (Scalar(value, "regex") is { } pattern)
                        {
                            try
                            {
                                var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
                                parts.Add(new FieldCondition { Field = field, Operator = FieldOperator.Regex, Pattern = regex, Operands = [pattern] });
                            }
                            catch (ArgumentException e)
                            {
                                Error(value, $"invalid regex '{pattern}': {e.Message}");
                            }
                        }
                        break;
                    case "range":
                        hasRange = true;
                        if (value is YamlSequenceNode { Children.Count: 2 } pair)
                        {
                            min = IsOpen(pair.Children[0]) ? null : Number(pair.Children[0], "range minimum");
                            max = IsOpen(pair.Children[1]) ? null : Number(pair.Children[1], "range maximum");
                        }
                        else
                        {
                            Error(value, "range takes [min, max] (use ~ for an open end)");
                        }
                        break;
                    case "min":
                        hasRange = true;
                        min = Number(value, "min");
                        break;
                    case "max":
                        hasRange = true;
                        max = Number(value, "max");
                        break;
                    case "exists":
                        if (Bool(value, "exists") is { } ex) parts.Add(new FieldCondition { Field = field, Operator = ex ? FieldOperator.Exists : FieldOperator.Missing });
                        break;
                    case "missing":
                        if (Bool(value, "missing") is { } mi) parts.Add(new FieldCondition { Field = field, Operator = mi ? FieldOperator.Missing : FieldOperator.Exists });
                        break;
                    case "cidr":
                        if (Cidr(field, value, Strings(value, "cidr")) is { } cidr) parts.Add(cidr);
                        break;
                }
            }
            if (hasRange)
            {
                if (min is { } lo && max is { } hi && lo > hi) Error(ops, string.Create(CultureInfo.InvariantCulture, $"range minimum {lo} is above maximum {hi}"));
                else parts.Add(new FieldCondition { Field = field, Operator = FieldOperator.Range, Min = min, Max = max });
            }
            if (parts.Count == 0) return Fail(ops, $"{field.Name}: no operator given");
            return parts.Count == 1 ? parts[0] : new AllCondition(parts);
        }

        private static bool IsOpen(YamlNode node) => node is YamlScalarNode { Value: "~" or "null" or "" };

        private FieldCondition? Cidr(FieldRef field, YamlNode node, List<string> items)
        {
            var networks = new List<(IPAddress, int)>();
            foreach (var item in items)
            {
                // IPNetwork.TryParse quietly masks host bits; 10.0.0.1/8 is more likely a typo than meant as 10.0.0.0/8.
                if (IPNetwork.TryParse(item, out var net) && item.StartsWith(net.BaseAddress.ToString() + "/", StringComparison.Ordinal))
                    networks.Add((net.BaseAddress, net.PrefixLength));
                else if (IPAddress.TryParse(item, out var single)) networks.Add((single, single.GetAddressBytes().Length * 8));
                else Error(node, $"'{item}' is not an address or CIDR network such as 10.1.0.0/16 (host bits must be zero)");
            }
            if (networks.Count == 0 || networks.Count != items.Count) return null;
            return new FieldCondition { Field = field, Operator = FieldOperator.Cidr, Operands = items, Networks = networks };
        }

        private TimeWindowCondition? Time(YamlNode node)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, "time takes a mapping: between: [\"HH:mm\", \"HH:mm\"], days: [mon, ...], timezone: ID");
                return null;
            }
            CheckKeys(map, ["between", "days", "timezone"]);
            TimeOnly? from = null, until = null;
            HashSet<DayOfWeek>? days = null;
            var zone = TimeZoneInfo.Local;
            if (Get(map, "between") is { } b)
            {
                if (b is YamlSequenceNode { Children.Count: 2 } pair && ParseTime(pair.Children[0]) is { } f && ParseTime(pair.Children[1]) is { } u)
                {
                    from = f;
                    until = u;
                }
                else if (b is not YamlSequenceNode { Children.Count: 2 })
                {
                    Error(b, "between takes [\"HH:mm\", \"HH:mm\"]");
                }
            }
            if (Get(map, "days") is { } d)
            {
                days = [];
                foreach (var day in Strings(d, "days"))
                {
                    var known = Enum.GetValues<DayOfWeek>().Where(x => x.ToString().StartsWith(day, StringComparison.OrdinalIgnoreCase) && day.Length >= 3).ToList();
                    if (known.Count == 1) days.Add(known[0]);
                    else Error(d, $"'{day}' is not a weekday (mon, tue, wed, thu, fri, sat, sun)");
                }
            }
            if (Get(map, "timezone") is { } tz && Scalar(tz, "timezone") is { } id)
            {
                try
                {
                    zone = TimeZoneInfo.FindSystemTimeZoneById(id);
                }
                catch (TimeZoneNotFoundException)
                {
                    Error(tz, $"unknown time zone '{id}'");
                }
            }
            if (from is null && days is null) return Fail(map, "time needs 'between' and/or 'days'") as TimeWindowCondition;
            return new TimeWindowCondition { From = from, Until = until, Days = days, Zone = zone };
        }

        private TimeOnly? ParseTime(YamlNode node)
        {
            var s = Scalar(node, "time of day");
            if (s is not null && TimeOnly.TryParseExact(s, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return t;
            if (s is not null) Error(node, $"'{s}' is not a time of day HH:mm");
            return null;
        }
    }
}
