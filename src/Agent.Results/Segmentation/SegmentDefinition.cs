using Agent.Results.Coding;

namespace Agent.Results.Segmentation;

/// <summary>
/// One segment: the label value in the label map, its name, SNOMED CT category/type (and laterality modifier), the
/// anatomic region it lies in and the display colour (sRGB). Built from a model manifest's label by the caller.
/// </summary>
public sealed record SegmentDefinition(int LabelValue, string Label, Code Category, Code Type, byte[] Rgb)
{
    /// <summary>Modifier of <see cref="Type"/>, e.g. SCT 7771000 "Left" for a left kidney.</summary>
    public Code? TypeModifier { get; init; }

    /// <summary>Anatomic region containing the segment; defaults to the property type for anatomical structures.</summary>
    public Code? AnatomicRegion { get; init; }
}
