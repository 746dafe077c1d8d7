using Agent.Imaging;
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
            };
        }
    }

    /// <summary>The model grid for an input: same origin and orientation and physical extent, the target spacing.</summary>
    public ImageGeometry ModelGrid(ImageGeometry input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var t = Package.Manifest.TargetSpacing;
        static int Count(int n, double s, double target) => Math.Max(1, (int)Math.Round((n - 1) * s / target) + 1);
        return input with
        {
            Size = (Count(input.Size.X, input.Spacing.X, t[0]), Count(input.Size.Y, input.Spacing.Y, t[1]), Count(input.Size.Z, input.Spacing.Z, t[2])),
            Spacing = (t[0], t[1], t[2]),
        };
    }

    /// <summary>Full pipeline on an intensity volume (HU for CT); labels on the input grid.</summary>
    public async Task<LabelVolume> SegmentAsync(Volume image, IVolumeResampler resampler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(resampler);
        var grid = ModelGrid(image.Geometry);
        var onGrid = grid == image.Geometry ? image : resampler.Resample(image, grid);
        var normalized = IntensityNormalizer.Apply(onGrid, Package.Manifest.Normalization);
        var probabilities = await PredictAsync(normalized, cancellationToken).ConfigureAwait(false);
        return grid == image.Geometry ? probabilities.ArgMax() : probabilities.ArgMaxOn(image.Geometry, resampler);
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
