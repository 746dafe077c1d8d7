using System.Globalization;
using Agent.Inference.Models;

namespace Agent.Inference.Packages;

/// <summary>Collects every problem of a manifest, each prefixed with its JSON path, so one run shows them all.</summary>
internal static class ManifestValidator
{
    public static IReadOnlyList<string> Validate(ModelManifest m)
    {
        var errors = new List<string>();
        void Check(bool ok, string path, string problem)
        {
            if (!ok) errors.Add($"{path}: {problem}");
        }

        Check(!string.IsNullOrWhiteSpace(m.Name) && m.Name.Length <= 64, "name", "must be 1-64 characters");
        Check(!string.IsNullOrWhiteSpace(m.Version) && m.Version.Length <= 64, "version", "must be 1-64 characters");
        Check(m.Architecture.Type == "unet", "architecture.type", $"unknown '{m.Architecture.Type}' (supported: unet)");
        Check(m.Modality is "CT" or "MR", "modality", $"must be CT or MR, got '{m.Modality}'");
        Check(m.TargetSpacing is { Length: 3 } && m.TargetSpacing.All(s => s is > 0.01 and < 100),
            "targetSpacing", "must be three spacings in mm (X, Y, Z), each 0.01-100");
        Check(m.PatchSize is { Length: 3 } && m.PatchSize.All(p => p is >= 1 and <= 1024),
            "patchSize", "must be three sizes in voxels (X, Y, Z), each 1-1024");
        Check(m.Inference.Overlap is >= 0 and <= 0.9, "inference.overlap", "must be 0-0.9");
        Check(m.Inference.BatchSize is >= 1 and <= 64, "inference.batchSize", "must be 1-64");

        UNetOptions? unet = null;
        try
        {
            unet = ToUNetOptions(m);
            unet.Validate();
        }
        catch (ArgumentException e)
        {
            errors.Add($"architecture: {e.Message}");
            unet = null;
        }
        if (unet is not null && m.PatchSize is { Length: 3 })
        {
            if (unet.Dimensions == 2) Check(m.PatchSize[2] == 1, "patchSize", "a 2D model's Z patch size must be 1");
            var total = unet.TotalDownsampling();
            // Tensor order is (D, H, W) = (Z, Y, X), or (H, W) = (Y, X) in 2D.
            int[] xyz = unet.Dimensions == 3 ? [total[2], total[1], total[0]] : [total[1], total[0], 1];
            for (int a = 0; a < 3; a++)
            {
                Check(m.PatchSize[a] % xyz[a] == 0, "patchSize",
                    string.Create(CultureInfo.InvariantCulture, $"{"XYZ"[a]} = {m.PatchSize[a]} must be a multiple of the network's down-sampling {xyz[a]}"));
            }
        }

        var n = m.Normalization;
        if (n.Scheme == "ct")
        {
            Check(n.Window is { Length: 2 } && n.Window[0] < n.Window[1], "normalization.window", "must be [low, high] in HU");
            Check(n.Std is null or > 0, "normalization.std", "must be positive");
        }
        else
        {
            Check(n.Scheme == "zscore", "normalization.scheme", $"must be 'ct' or 'zscore', got '{n.Scheme}'");
        }

        Check(m.Weights.Format is "torchsharp" or "pytorch" or "safetensors", "weights.format", "must be torchsharp, pytorch or safetensors");
        Check(!string.IsNullOrEmpty(m.Weights.File) && Path.GetFileName(m.Weights.File) == m.Weights.File && m.Weights.File is not ("." or ".."),
            "weights.file", "must be a plain file name inside the package folder");
        Check(m.Weights.Sha256 is { Length: 64 } && m.Weights.Sha256.All(Uri.IsHexDigit), "weights.sha256", "must be 64 hex digits");

        Check(m.Labels.Count is >= 1 and <= 254, "labels", "must list 1-254 structures");
        for (int i = 0; i < m.Labels.Count; i++)
        {
            var l = m.Labels[i];
            string p = string.Create(CultureInfo.InvariantCulture, $"labels[{i}]");
            Check(l.Value == i + 1, p + ".value", string.Create(CultureInfo.InvariantCulture, $"must be {i + 1} (labels are 1..N in order), got {l.Value}"));
            Check(!string.IsNullOrWhiteSpace(l.Name) && l.Name.Length <= 64, p + ".name", "must be 1-64 characters");
            Check(IsCode(l.Category), p + ".category", "needs scheme, code and meaning");
            Check(IsCode(l.Type), p + ".type", "needs scheme, code and meaning");
            Check(l.Laterality is null || IsCode(l.Laterality), p + ".laterality", "needs scheme, code and meaning");
            Check(l.Color is { Length: 3 } && l.Color.All(c => c is >= 0 and <= 255), p + ".color", "must be [r, g, b], each 0-255");
            Check(l.PostProcessing.OpeningMm >= 0 && l.PostProcessing.ClosingMm >= 0 && l.PostProcessing.MinComponentMl is null or >= 0,
                p + ".postProcessing", "sizes must not be negative");
        }
        return errors;
    }

    public static UNetOptions ToUNetOptions(ModelManifest m) => new()
    {
        Dimensions = m.Architecture.Dimensions,
        InChannels = m.Architecture.InChannels,
        Classes = m.Labels.Count + 1,
        Features = m.Architecture.Features ?? [],
        Strides = m.Architecture.Strides,
        DeepSupervision = m.Architecture.DeepSupervision,
        NegativeSlope = m.Architecture.NegativeSlope,
    };

    private static bool IsCode(CodeSpec? c) =>
        c is not null && !string.IsNullOrWhiteSpace(c.Scheme) && !string.IsNullOrWhiteSpace(c.Code) && !string.IsNullOrWhiteSpace(c.Meaning);
}
