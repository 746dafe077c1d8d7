using Agent.Imaging;
using Agent.Imaging.Preprocessing;

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
    /// Interpolates the probabilities trilinearly at each voxel of <paramref name="target"/> (e.g. the original series
    /// grid) and takes the arg-max there; no per-class volume on the target grid is allocated.
    /// </summary>
    public LabelVolume ArgMaxOn(ImageGeometry target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target == Geometry ? ArgMax() : ProbabilityResampler.ResampleArgmax(Classes, Geometry, target);
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
