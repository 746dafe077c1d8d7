using System.Text.Json.Serialization;

namespace Agent.Inference.Packages;

/// <summary>
/// The <c>model.json</c> of a model package. Spatial triples are (X, Y, Z) in patient-grid voxel order, matching
/// <see cref="Agent.Imaging.ImageGeometry"/>; the U-Net's own strides are in tensor order (D, H, W).
/// </summary>
public sealed record ModelManifest
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public string? Description { get; init; }
    public required ArchitectureSpec Architecture { get; init; }

    /// <summary>DICOM Modality the model expects: CT or MR.</summary>
    public required string Modality { get; init; }

    /// <summary>Voxel spacing of the model grid in mm, (X, Y, Z).</summary>
    public required double[] TargetSpacing { get; init; }

    public required NormalizationSpec Normalization { get; init; }

    /// <summary>Patch size in voxels, (X, Y, Z); Z = 1 for a 2D model.</summary>
    public required int[] PatchSize { get; init; }

    public InferenceSpec Inference { get; init; } = new();
    public required WeightsSpec Weights { get; init; }
    public required IReadOnlyList<LabelSpec> Labels { get; init; }

    /// <summary>The U-Net this manifest describes (classes = labels + background).</summary>
    public Models.UNetOptions NetworkOptions() => ManifestValidator.ToUNetOptions(this);
}

public sealed record ArchitectureSpec
{
    /// <summary>"unet" (the only family so far).</summary>
    public string Type { get; init; } = "unet";
    public int Dimensions { get; init; } = 3;
    public int InChannels { get; init; } = 1;
    public required int[] Features { get; init; }

    /// <summary>Per stage, per tensor axis (D, H, W or H, W); optional.</summary>
    public int[][]? Strides { get; init; }
    public bool DeepSupervision { get; init; }
    public double NegativeSlope { get; init; } = 0.01;
}

/// <summary>
/// <c>ct</c>: clip to <see cref="Window"/> (HU) then (v - mean) / std. <c>zscore</c> (MR): (v - mean) / std of the
/// foreground, i.e. voxels above <see cref="ForegroundThreshold"/> or, when absent, above the volume mean.
/// </summary>
public sealed record NormalizationSpec
{
    public required string Scheme { get; init; }
    public double[]? Window { get; init; }
    public double? Mean { get; init; }
    public double? Std { get; init; }
    public double? ForegroundThreshold { get; init; }
}

public sealed record InferenceSpec
{
    public double Overlap { get; init; } = 0.5;
    public bool Mirror { get; init; }
    public int BatchSize { get; init; } = 2;
}

public sealed record WeightsSpec
{
    /// <summary>File name inside the package folder (no directories).</summary>
    public required string File { get; init; }

    /// <summary>"torchsharp" (module.save), "pytorch" (torch.save of a state_dict) or "safetensors".</summary>
    public string Format { get; init; } = "torchsharp";

    /// <summary>Lower-case hex SHA-256 of the file; verified at load.</summary>
    public required string Sha256 { get; init; }
}

/// <summary>A coded concept (PS3.3 Code Sequence Macro): scheme designator, code value, meaning.</summary>
public sealed record CodeSpec(
    [property: JsonPropertyName("scheme")] string Scheme,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("meaning")] string Meaning);

public sealed record LabelSpec
{
    /// <summary>Value in the label map and output channel index (1..N; 0 is background).</summary>
    public required int Value { get; init; }
    public required string Name { get; init; }

    /// <summary>Segmented Property Category, e.g. SCT 91723000 "Anatomical Structure".</summary>
    public required CodeSpec Category { get; init; }

    /// <summary>Segmented Property Type, e.g. SCT 10200004 "Liver".</summary>
    public required CodeSpec Type { get; init; }

    /// <summary>Anatomic region modifier for paired organs, e.g. SCT 7771000 "Left".</summary>
    public CodeSpec? Laterality { get; init; }

    /// <summary>Recommended display colour, sRGB 0-255.</summary>
    public required int[] Color { get; init; }
    public PostProcessingSpec PostProcessing { get; init; } = new();
}

/// <summary>Recommended clean-up of this label's mask; applied by the imaging layer's post-processing.</summary>
public sealed record PostProcessingSpec
{
    public bool LargestComponent { get; init; }

    /// <summary>Keep every component at least this large instead of only the largest.</summary>
    public double? MinComponentMl { get; init; }
    public bool FillHoles { get; init; }
    public double OpeningMm { get; init; }
    public double ClosingMm { get; init; }
}
