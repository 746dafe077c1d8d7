using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Agent.Host.Configuration;

/// <summary>
/// Checks the keys under <c>Agent</c> before binding: unknown keys (typos such as <c>Agent:Dicom:Prot</c>) and values
/// that cannot convert to the option's type. The binder would otherwise ignore the first and throw on the second
/// one key at a time; administrators want every mistake, with its key, in one go.
/// </summary>
public static class ConfigurationShape
{
    public static readonly IReadOnlyDictionary<string, Type> Sections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        ["Dicom"] = typeof(DicomOptions),
        ["Storage"] = typeof(StorageOptions),
        ["Database"] = typeof(DatabaseOptions),
        ["Jobs"] = typeof(JobsOptions),
        ["Routing"] = typeof(Routing.RoutingOptions),
        ["Reanalysis"] = typeof(Reanalysis.ReanalysisOptions),
    };

    /// <summary>Every shape error, and the keys to leave out so the rest can still be bound and range-checked.</summary>
    public static (IReadOnlyList<string> Errors, IReadOnlySet<string> BadKeys) Check(IConfiguration configuration)
    {
        var errors = new List<string>();
        var bad = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in configuration.GetSection("Agent").GetChildren())
        {
            // Destinations are a map of names to settings; Delivery.DestinationsOptionsValidator checks them key by key.
            if (section.Key.Equals("Destinations", StringComparison.OrdinalIgnoreCase)) continue;
            if (!Sections.TryGetValue(section.Key, out var type))
            {
                errors.Add($"{section.Path} is not a known section (known: {string.Join(", ", Sections.Keys.Select(k => "Agent:" + k))})");
                bad.Add(section.Path);
                continue;
            }
            CheckObject(section, type, errors, bad);
        }
        return (errors, bad);
    }

    /// <summary>Checks one options object's keys; nested option classes and lists of them are checked the same way.</summary>
    private static void CheckObject(IConfigurationSection section, Type type, List<string> errors, HashSet<string> bad)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        foreach (var key in section.GetChildren())
        {
            var property = properties.Find(p => string.Equals(p.Name, key.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                errors.Add($"{key.Path} is not a known setting (known: {string.Join(", ", properties.Select(p => p.Name))})");
                bad.Add(key.Path);
                continue;
            }
            CheckValue(key, property.PropertyType, errors, bad);
        }
    }

    private static void CheckValue(IConfigurationSection key, Type type, List<string> errors, HashSet<string> bad)
    {
        // A map of names to settings (e.g. Agent:Reanalysis:Sources:<name>): each entry is checked as its value type.
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string))
        {
            if (key.Value is { Length: > 0 })
            {
                errors.Add($"{key.Path} must be a section, not a single value");
                bad.Add(key.Path);
                return;
            }
            foreach (var item in key.GetChildren()) CheckValue(item, type.GetGenericArguments()[1], errors, bad);
            return;
        }
        var element = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;
        var isObject = element is null && type.IsClass && type != typeof(string);
        // An empty JSON array or object in a lower layer arrives as "" even when a higher layer adds children.
        if (key.Value is null || (key.Value.Length == 0 && (element is not null || isObject)))
        {
            if (!key.GetChildren().Any()) return;
            if (element is not null)
            {
                foreach (var item in key.GetChildren())
                {
                    if (!int.TryParse(item.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    {
                        errors.Add($"{item.Path} is not a list index ({key.Path} is a list)");
                        bad.Add(item.Path);
                    }
                    else CheckValue(item, element, errors, bad);
                }
            }
            else if (isObject) CheckObject(key, type, errors, bad);
            else
            {
                errors.Add($"{key.Path} must be a single value, not a section");
                bad.Add(key.Path);
            }
            return;
        }
        if (element is not null || isObject)
        {
            errors.Add($"{key.Path} must be {(element is not null ? "a list" : "a section")}, not a single value");
            bad.Add(key.Path);
            return;
        }
        if (ConversionProblem(type, key.Value) is { } problem)
        {
            errors.Add($"{key.Path} {problem}");
            bad.Add(key.Path);
        }
    }

    private static string? ConversionProblem(Type type, string value)
    {
        if (type == typeof(int))
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : $"must be an integer, got '{value}'";
        if (type == typeof(long))
            return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : $"must be an integer, got '{value}'";
        if (type == typeof(bool))
            return bool.TryParse(value, out _) ? null : $"must be true or false, got '{value}'";
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            return names.Any(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase))
                ? null
                : $"must be one of {string.Join(", ", names)}, got '{value}'";
        }
        return null;
    }
}
