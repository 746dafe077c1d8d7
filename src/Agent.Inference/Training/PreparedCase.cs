using Agent.Imaging;
using Agent.Inference.Packages;
using Agent.Imaging.Preprocessing;

namespace Agent.Inference.Training;

/// <summary>
/// A case on the model grid: normalised image, labels, and a sample of foreground voxel positions per class for
/// foreground-biased patch sampling. Padded to at least one patch so every patch lies inside.
/// </summary>
internal sealed class PreparedCase
{
    private const int MaxForegroundSamplesPerClass = 20_000;

    private PreparedCase(string id, Volume image, LabelVolume labels, LabelVolume unpaddedLabels, Volume unpaddedImage, long[][] foreground)
    {
        Id = id;
        Image = image;
        Labels = labels;
        ValidationLabels = unpaddedLabels;
        ValidationImage = unpaddedImage;
        Foreground = foreground;
    }

    public string Id { get; }
    public Volume Image { get; }
    public LabelVolume Labels { get; }
    public Volume ValidationImage { get; }
    public LabelVolume ValidationLabels { get; }

    /// <summary>Per class 1..N (index 0 unused): flat indices into <see cref="Labels"/>.</summary>
    public long[][] Foreground { get; }

    public (int X, int Y, int Z) Size => Image.Geometry.Size;

    public static PreparedCase Create(TrainingCase c, ModelManifest manifest, Random rng)
    {
        var g = c.Image.Geometry;
        var grid = SegmentationModel.ModelGridFor(g, manifest);
        var image = IntensityNormalizer.Apply(SegmentationModel.ToModelGrid(c.Image, grid), manifest.Normalization);
        long nonFinite = image.Voxels.LongCount(v => !float.IsFinite(v));
        if (nonFinite > 0)
            throw new ArgumentException($"case {c.Id}: {nonFinite} voxel(s) of the image are NaN or infinite after resampling and normalisation");
        var labels = grid == g ? c.Labels : Resampler.ResampleSmooth(c.Labels, grid);
        int classes = manifest.Labels.Count + 1;
        if (labels.Labels.Any(l => l >= classes))
            throw new ArgumentException($"case {c.Id}: label values must be 0-{classes - 1} for this manifest");

        var (px, py, pz) = (Math.Max(grid.Size.X, manifest.PatchSize[0]), Math.Max(grid.Size.Y, manifest.PatchSize[1]), Math.Max(grid.Size.Z, manifest.PatchSize[2]));
        var paddedImage = image;
        var paddedLabels = labels;
        if ((px, py, pz) != grid.Size)
        {
            var pg = grid with { Size = (px, py, pz) };
            paddedImage = new Volume(pg);
            Array.Fill(paddedImage.Voxels, image.Voxels.Min());
            paddedLabels = new LabelVolume(pg);
            for (int z = 0; z < grid.Size.Z; z++)
            {
                for (int y = 0; y < grid.Size.Y; y++)
                {
                    long from = (long)grid.Size.X * (y + (long)grid.Size.Y * z), to = (long)px * (y + (long)py * z);
                    Array.Copy(image.Voxels, from, paddedImage.Voxels, to, grid.Size.X);
                    Array.Copy(labels.Labels, from, paddedLabels.Labels, to, grid.Size.X);
                }
            }
        }

        var perClass = new List<long>[classes];
        for (int k = 0; k < classes; k++) perClass[k] = [];
        var counts = new long[classes];
        var l = paddedLabels.Labels;
        for (long i = 0; i < l.LongLength; i++) counts[l[i]]++;
        // Reservoir-free thinning: keep each voxel with probability cap/count, enough for sampling centres.
        var keep = counts.Select(n => n == 0 ? 0 : Math.Min(1.0, (double)MaxForegroundSamplesPerClass / n)).ToArray();
        for (long i = 0; i < l.LongLength; i++)
        {
            int k = l[i];
            if (k != 0 && rng.NextDouble() < keep[k]) perClass[k].Add(i);
        }
        return new PreparedCase(c.Id, paddedImage, paddedLabels, labels, image, perClass.Select(p => p.ToArray()).ToArray());
    }
}
