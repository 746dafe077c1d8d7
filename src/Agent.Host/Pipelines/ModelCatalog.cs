using System.Text.Json;
using Agent.Inference.Packages;

namespace Agent.Host.Pipelines;

/// <summary>
/// Finds model packages (folders with a model.json) by NAME or NAME@VERSION under the configured model folders:
/// AGENT_HOME/config/models, then the models shipped next to the executable. Without a version the highest wins.
/// </summary>
public sealed class ModelCatalog(IReadOnlyList<string> roots)
{
    public static ModelCatalog ForHome(string home) =>
        new([Path.Combine(home, "config", "models"), Path.Combine(AppContext.BaseDirectory, "config", "models")]);

    /// <summary>Splits NAME or NAME@VERSION at the first '@' (rules, <c>segment --model</c> and re-analysis write models so).</summary>
    public static (string Name, string? Version) SplitSpec(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var at = spec.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? (spec, null) : (spec[..at], spec[(at + 1)..]);
    }

    /// <summary>The package folder, or null when no package has that name (and version).</summary>
    public async Task<string?> FindAsync(string name, string? version, CancellationToken cancellationToken)
    {
        // A path is taken as a package folder as is: loading it then says what is wrong with it.
        if (version is null && (Directory.Exists(name) || name.Contains('/', StringComparison.Ordinal))) return Path.GetFullPath(name);
        var found = new List<(Version? Parsed, string Text, string Folder)>();
        foreach (var root in roots.Where(Directory.Exists))
        {
            foreach (var folder in Directory.EnumerateDirectories(root))
            {
                var manifestPath = Path.Combine(folder, ModelPackage.ManifestFileName);
                if (!File.Exists(manifestPath)) continue;
                ModelManifest manifest;
                try
                {
                    manifest = await ModelPackage.ReadManifestAsync(manifestPath, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ModelPackageException or JsonException or IOException)
                {
                    continue;
                }
                if (!string.Equals(manifest.Name, name, StringComparison.Ordinal)) continue;
                if (version is not null && !string.Equals(manifest.Version, version, StringComparison.Ordinal)) continue;
                found.Add((Version.TryParse(manifest.Version, out var v) ? v : null, manifest.Version, folder));
            }
        }
        return found.OrderByDescending(f => f.Parsed).ThenByDescending(f => f.Text, StringComparer.Ordinal).Select(f => f.Folder).FirstOrDefault();
    }
}
