using Agent.Imaging;

namespace Agent.Inference.SlidingWindow;

/// <summary>
/// Resamples a scalar volume onto another grid in patient space. The seam between inference and the imaging layer's
/// resampling; <see cref="TrilinearResampler"/> is a self-contained default.
/// </summary>
public interface IVolumeResampler
{
    Volume Resample(Volume source, ImageGeometry target);
}
