using Agent.Results.Common;

namespace Agent.Results.Segmentation;

/// <summary>What a SEG says about itself beyond the masks. UIDs default to new ones; pass them to re-create an object identically.</summary>
public sealed record SegmentationOptions
{
    public required AlgorithmIdentity Algorithm { get; init; }
    public EquipmentIdentity Equipment { get; init; } = new();
    public string? SeriesInstanceUid { get; init; }
    public string? SopInstanceUid { get; init; }
    public int SeriesNumber { get; init; } = 9901;
    public int InstanceNumber { get; init; } = 1;

    /// <summary>Content Label (a Code String: upper case, at most 16 characters).</summary>
    public string ContentLabel { get; init; } = "AI_SEGMENTATION";
    public string ContentDescription { get; init; } = "AI segmentation, for review";
    public string ContentCreatorName { get; init; } = "";
    public string SeriesDescription { get; init; } = "AI segmentation (for review, AI result)";

    /// <summary>Content/instance creation time; now when null.</summary>
    public DateTimeOffset? Created { get; init; }
}
