using Agent.Imaging;

namespace Agent.Inference.SlidingWindow;

/// <summary>
/// Per-class probabilities (background first) on one grid, one float32 array per class so no single allocation
/// exceeds one volume and nothing is float64.
/// </summary>
public sealed class ProbabilityMap
{
    public ProbabilityMap(ImageGeometry geometry, float[][] classes)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.Length is < 2 or > 256) throw new ArgumentException("a probability map needs 2-256 classes", nameof(classes));
        if (classes.Any(c => c.LongLength != geometry.VoxelCount))
            throw new ArgumentException("every class array must have one value per voxel", nameof(classes));
        Geometry = geometry;
        Classes = classes;
    }

    public ImageGeometry Geometry { get; }

    public IReadOnlyList<float[]> Classes { get; }

    public Volume ClassVolume(int label) => new(Geometry, Classes[label]);

    /// <summary>Label of the most probable class per voxel on this grid.</summary>
    public LabelVolume ArgMax()
    {
        var labels = new LabelVolume(Geometry);
        var best = (float[])Classes[0].Clone();
        for (int c = 1; c < Classes.Count; c++) Accumulate(Classes[c], (byte)c, best, labels.Labels);
        return labels;
    }

    /// <summary>
    /// Resamples each class's probabilities to <paramref name="target"/> (e.g. the original series grid) and takes the
    /// arg-max there, one class at a time: peak memory is two float volumes on the target grid plus the labels.
    /// </summary>
    public LabelVolume ArgMaxOn(ImageGeometry target, IVolumeResampler resampler)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(resampler);
        var labels = new LabelVolume(target);
        var best = resampler.Resample(ClassVolume(0), target).Voxels;
        for (int c = 1; c < Classes.Count; c++)
        {
            var p = resampler.Resample(ClassVolume(c), target).Voxels;
            Accumulate(p, (byte)c, best, labels.Labels);
        }
        return labels;
    }

    private static void Accumulate(float[] p, byte label, float[] best, byte[] labels)
    {
        for (long i = 0; i < p.LongLength; i++)
        {
            if (p[i] > best[i])
            {
                best[i] = p[i];
                labels[i] = label;
            }
        }
    }
}
