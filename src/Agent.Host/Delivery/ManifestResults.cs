using Agent.Inference.Packages;
using Agent.Results.Coding;
using Agent.Results.Common;
using Agent.Results.Segmentation;

namespace Agent.Host.Delivery;

/// <summary>
/// Maps a model manifest to what the result writers need (Agent.Results stays free of the inference stack): one
/// segment per label with its SCT codes, laterality and colour, and the algorithm identity (name, version).
/// </summary>
public static class ManifestResults
{
    public static AlgorithmIdentity Algorithm(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new AlgorithmIdentity(manifest.Name, manifest.Version);
    }

    public static IReadOnlyList<SegmentDefinition> Segments(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest.Labels.OrderBy(l => l.Value).Select(Segment).ToList();
    }

    public static SegmentDefinition Segment(LabelSpec label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.Color is not { Length: 3 } c || c.Any(v => v is < 0 or > 255))
            throw new ArgumentException($"label '{label.Name}' needs an sRGB colour of three values 0-255", nameof(label));
        return new SegmentDefinition(label.Value, label.Name, ToCode(label.Category), ToCode(label.Type), [(byte)c[0], (byte)c[1], (byte)c[2]])
        {
            TypeModifier = label.Laterality is { } lat ? ToCode(lat) : null,
        };
    }

    private static Code ToCode(CodeSpec spec) => new(spec.Scheme, spec.Code, spec.Meaning);
}
