using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Agent.Imaging;
using Agent.Imaging.Postprocessing;
using Agent.Inference.Models;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Agent.Inference.Packages;

/// <summary>
/// A model package folder: <c>model.json</c> plus a weights file whose SHA-256 is verified when the package is loaded
/// (and exposed for provenance). See config/models/README.md for the manifest format.
/// </summary>
public sealed class ModelPackage
{
    public const string ManifestFileName = "model.json";
    private const long MaxManifestBytes = 1024 * 1024;
    private const long MaxWeightsBytes = 4L * 1024 * 1024 * 1024;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 16,
        TypeInfoResolver = InferenceJsonContext.Default,
    };

    private ModelPackage(string folder, ModelManifest manifest, string weightsSha256)
    {
        Folder = folder;
        Manifest = manifest;
        WeightsSha256 = weightsSha256;
    }

    public string Folder { get; }

    public ModelManifest Manifest { get; }

    public string WeightsPath => Path.Combine(Folder, Manifest.Weights.File);

    /// <summary>SHA-256 of the weights actually loaded (equal to the manifest's), lower-case hex: for provenance.</summary>
    public string WeightsSha256 { get; }

    public UNetOptions NetworkOptions => ManifestValidator.ToUNetOptions(Manifest);

    /// <summary>
    /// The manifest's recommended post-processing for a label map on <paramref name="grid"/>: opening and closing radii
    /// stay in millimetres, so they mean the same distance along every axis whatever the grid's spacing.
    /// </summary>
    public IReadOnlyDictionary<byte, LabelPostProcessing> RecommendedPostProcessing(ImageGeometry grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        return Manifest.Labels.ToDictionary(l => (byte)l.Value, l => new LabelPostProcessing
        {
            OpeningMillimetres = l.PostProcessing.OpeningMm,
            ClosingMillimetres = l.PostProcessing.ClosingMm,
            KeepLargestComponent = l.PostProcessing.LargestComponent,
            MinComponentMillilitres = l.PostProcessing.MinComponentMl ?? 0,
            FillHoles = l.PostProcessing.FillHoles,
        });
    }

    /// <summary>Reads and validates the manifest and verifies the weights' checksum.</summary>
    /// <exception cref="ModelPackageException">Anything wrong with the package, with the file and key named.</exception>
    public static async Task<ModelPackage> LoadAsync(string folder, CancellationToken cancellationToken)
    {
        folder = Path.GetFullPath(folder);
        var manifest = await ReadManifestAsync(Path.Combine(folder, ManifestFileName), cancellationToken).ConfigureAwait(false);
        var weights = Path.Combine(folder, manifest.Weights.File);
        if (!File.Exists(weights)) throw new ModelPackageException($"{weights}: weights file named by weights.file is missing");
        var actual = await ComputeSha256Async(weights, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(actual, manifest.Weights.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelPackageException(
                $"{weights}: SHA-256 {actual} does not match weights.sha256 {manifest.Weights.Sha256} in {ManifestFileName}; the file is corrupt or was replaced");
        }
        return new ModelPackage(folder, manifest, actual);
    }

    public static async Task<ModelManifest> ReadManifestAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new ModelPackageException($"{path}: no {ManifestFileName} (not a model package)");
        if (info.Length > MaxManifestBytes) throw new ModelPackageException($"{path}: larger than {MaxManifestBytes} bytes");
        ModelManifest? manifest;
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                manifest = await JsonSerializer.DeserializeAsync<ModelManifest>(stream, Json, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw new ModelPackageException($"{path}: {e.Path}: {e.Message}", e);
            }
        }
        if (manifest is null) throw new ModelPackageException($"{path}: empty manifest");
        var errors = ManifestValidator.Validate(manifest);
        if (errors.Count > 0) throw new ModelPackageException($"{path}: " + string.Join("; ", errors));
        return manifest;
    }

    public static async Task<string> ComputeSha256Async(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            if (stream.Length > MaxWeightsBytes) throw new ModelPackageException($"{path}: weights larger than {MaxWeightsBytes} bytes");
            var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            return Convert.ToHexStringLower(hash);
        }
    }

    /// <summary>Builds the manifest's network, loads the verified weights, moves it to <paramref name="device"/>, eval mode.</summary>
    public UNet CreateNetwork(Device device)
    {
        var net = new UNet(NetworkOptions);
        try
        {
            LoadWeights(net, WeightsPath, Manifest.Weights.Format);
            net.to(device);
            net.eval();
            return net;
        }
        catch (Exception e) when (e is not ModelPackageException)
        {
            net.Dispose();
            throw new ModelPackageException($"{WeightsPath}: cannot load {Manifest.Weights.Format} weights into the manifest's architecture: {e.Message}", e);
        }
    }

    internal static void LoadWeights(nn.Module net, string path, string format)
    {
        switch (format)
        {
            case "torchsharp":
                net.load(path, strict: true);
                break;
            case "pytorch":
                net.load_py(path, strict: true);
                break;
            case "safetensors":
                net.load_safetensors(path, strict: true);
                break;
            default:
                throw new ModelPackageException($"weights.format '{format}' is not supported");
        }
    }

    /// <summary>
    /// Writes a package: the network's weights in TorchSharp format and a manifest carrying their SHA-256.
    /// </summary>
    public static async Task<ModelPackage> SaveAsync(string folder, ModelManifest manifest, UNet net, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(net);
        Directory.CreateDirectory(folder);
        var weights = Path.Combine(folder, manifest.Weights.File);
        var tmp = weights + ".tmp";
        net.save(tmp);
        File.Move(tmp, weights, overwrite: true);
        var sha = await ComputeSha256Async(weights, cancellationToken).ConfigureAwait(false);
        var final = manifest with { Weights = manifest.Weights with { Sha256 = sha, Format = "torchsharp" } };
        var errors = ManifestValidator.Validate(final);
        if (errors.Count > 0) throw new ModelPackageException($"{folder}: " + string.Join("; ", errors));
        var manifestPath = Path.Combine(folder, ManifestFileName);
        await File.WriteAllTextAsync(manifestPath + ".tmp", JsonSerializer.Serialize(final, Json) + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(manifestPath + ".tmp", manifestPath, overwrite: true);
        return new ModelPackage(Path.GetFullPath(folder), final, sha);
    }
}
