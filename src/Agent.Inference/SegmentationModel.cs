using Agent.Imaging;
using Agent.Imaging.Postprocessing;
using Agent.Imaging.Preprocessing;
using Agent.Inference.Models;
using Agent.Inference.Packages;
using Agent.Inference.SlidingWindow;
using static TorchSharp.torch;

namespace Agent.Inference;

/// <summary>
/// A loaded model package on a device: resamples an intensity volume to the model grid, normalises it, predicts by
/// sliding window, and returns labels on the input's own grid (probabilities resampled there before arg-max).
/// Safe for concurrent calls; concurrency per device is bounded by the shared <see cref="DeviceGate"/>.
/// </summary>
public sealed class SegmentationModel : IDisposable
{
    private readonly UNet network;
    private readonly DeviceGate gate;

    private SegmentationModel(ModelPackage package, UNet network, Device device, DeviceGate gate)
    {
        Package = package;
        this.network = network;
        Device = device;
        this.gate = gate;
    }

    public ModelPackage Package { get; }

    public Device Device { get; }

    public static SegmentationModel Create(ModelPackage package, Device device, DeviceGate gate)
    {
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(gate);
        return new SegmentationModel(package, package.CreateNetwork(device), device, gate);
    }

    public SlidingWindowOptions WindowOptions
    {
        get
        {
            var m = Package.Manifest;
            return new SlidingWindowOptions
            {
                PatchSize = (m.PatchSize[0], m.PatchSize[1], m.PatchSize[2]),
                Overlap = m.Inference.Overlap,
                BatchSize = m.Inference.BatchSize,
                Mirror = m.Inference.Mirror,
                LateralChannelSwap = Training.Augmenter.LateralSwapTable(m.Labels),
            };
        }
    }

    /// <summary>The model grid for an input: same orientation and extent, the manifest's target spacing.</summary>
    public ImageGeometry ModelGrid(ImageGeometry input) => ModelGridFor(input, Package.Manifest);

    /// <summary>
    /// Canonical axis order (X to the patient's left, Y posterior, Z superior), so HFS and FFS scans look alike to the
    /// network, at the target spacing over the same extent. Oblique scans keep their axes.
    /// </summary>
    internal static ImageGeometry ModelGridFor(ImageGeometry input, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(input);
        var t = manifest.TargetSpacing;
        var reorientation = Reorientation.ToCanonical(input);
        var canonical = reorientation is null || reorientation.IsIdentity ? input : Reorientation.Apply(input, reorientation);
        return canonical.Spacing == (t[0], t[1], t[2]) ? canonical : Resampler.WithSpacing(canonical, (t[0], t[1], t[2]));
    }

    /// <summary>Linear resampling to the model grid; voxels beyond the scan take its minimum (air for CT).</summary>
    internal static Volume ToModelGrid(Volume image, ImageGeometry grid) =>
        grid == image.Geometry ? image : Resampler.Resample(image, grid, Interpolation.Linear, outside: image.Voxels.Min());

    /// <summary>
    /// Full pipeline on an intensity volume (HU for CT): model grid, normalisation, sliding window, probabilities
    /// back to the input grid, arg-max, and (optionally) the manifest's recommended post-processing.
    /// </summary>
    public async Task<LabelVolume> SegmentAsync(Volume image, bool postProcess, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var grid = ModelGrid(image.Geometry);
        var normalized = IntensityNormalizer.Apply(ToModelGrid(image, grid), Package.Manifest.Normalization);
        var probabilities = await PredictAsync(normalized, cancellationToken).ConfigureAwait(false);
        var labels = probabilities.ArgMaxOn(image.Geometry);
        if (postProcess) PostProcessor.Apply(labels, Package.RecommendedPostProcessing(image.Geometry));
        return labels;
    }

    /// <summary>Per-class probabilities for a volume already on the model grid and normalised.</summary>
    public async Task<ProbabilityMap> PredictAsync(Volume normalized, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        using var lease = await gate.EnterAsync(Device, cancellationToken).ConfigureAwait(false);
        // libtorch work is synchronous and CPU-heavy: keep it off the caller's thread.
        return await Task.Run(() => SlidingWindowPredictor.Predict(normalized, Logits, network.Options.Classes, WindowOptions, Device, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    private Tensor Logits(Tensor batch)
    {
        if (network.Options.Dimensions == 3) return network.forward(batch);
        // 2D: (B, 1, 1, H, W) -> (B, 1, H, W) -> logits (B, K, H, W) -> (B, K, 1, H, W).
        using var slices = batch.squeeze(2);
        using var logits = network.forward(slices);
        return logits.unsqueeze(2);
    }

    public void Dispose() => network.Dispose();
}
