namespace Agent.Host.Reanalysis;

/// <summary>A pinned model, NAME@VERSION: re-analysis never means "whatever version is newest today".</summary>
public sealed record ModelSpec(string Name, string Version)
{
    public static (ModelSpec? Spec, string? Error) Parse(string? text)
    {
        var value = text?.Trim() ?? "";
        if (value.Length == 0) return (null, "is required (NAME@VERSION of an installed model package)");
        var (name, version) = Pipelines.ModelCatalog.SplitSpec(value);
        if (version is null) return (null, $"'{value}' has no version: pin one as NAME@VERSION (e.g. {value}@1.0.0)");
        (name, version) = (name.Trim(), version.Trim());
        if (name.Length == 0 || version.Length == 0 || version.Contains('@', StringComparison.Ordinal))
            return (null, $"'{value}' is not NAME@VERSION");
        return (new ModelSpec(name, version), null);
    }

    public override string ToString() => $"{Name}@{Version}";
}
