using Agent.Results.Common;

namespace Agent.Results.KeyImages;

/// <summary>How key images are rendered and identified. UIDs default to new ones.</summary>
public sealed record KeyImageOptions
{
    public required AlgorithmIdentity Algorithm { get; init; }
    public EquipmentIdentity Equipment { get; init; } = new();
    public string? SeriesInstanceUid { get; init; }
    public int SeriesNumber { get; init; } = 9903;
    public string SeriesDescription { get; init; } = "AI key images (for review, AI result)";

    /// <summary>Display window in the image's units (HU for CT); the default is a soft-tissue window.</summary>
    public double WindowCenter { get; init; } = 40;
    public double WindowWidth { get; init; } = 400;

    /// <summary>Rendered images are scaled up to at least this many pixels across so the burned-in text is legible.</summary>
    public int MinimumSize { get; init; } = 512;

    public DateTimeOffset? Created { get; init; }
}
