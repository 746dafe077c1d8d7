using System.Security.Cryptography;
using Agent.Dicom;
using Agent.Imaging;
using Agent.Imaging.Phantom;
using Agent.Imaging.Postprocessing;
using Agent.Imaging.Series;
using Agent.Inference.Packages;

namespace Agent.Inference.Tests;

/// <summary>
/// Issue 5's geometry acceptance with the bundled, trained model: a held-out phantom acquired feet first, written as
/// shuffled files with anisotropic voxels, goes through the series reader and the model; every organ the model finds
/// sits at the ground truth's patient coordinates within one voxel, on the correct side of the patient.
/// </summary>
public sealed class BundledModelGeometryTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("bundled-geometry-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task A_feet_first_shuffled_anisotropic_series_gets_each_organ_mask_at_its_true_patient_coordinates()
    {
        var phantom = PhantomGenerator.Generate(new PhantomOptions
        {
            Seed = 2005, // held out: training used 1-32, validation 1001-1004
            Position = PatientPosition.FFS,
            Matrix = 160,
            PixelSpacing = 2.7,
            SliceSpacing = 4.5,
        });
        await PhantomWriter.WriteDicomAsync(phantom, folder, CancellationToken.None);
        var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => DicomFile.Open(f)).ToList();
        var series = SeriesVolumeBuilder.Build(files);
        Assert.True(series.IsUsable, series.Report.ToString());
        var geometry = series.Volume!.Geometry;
        Assert.Equal(-1, geometry.Direction[8], 9); // feet first: slices run towards the feet

        var package = await ModelPackage.LoadAsync(Path.Combine(Agent.Tests.Shared.RepositoryRoot.Find(), "config", "models", "abdomen-ct-3d"), CancellationToken.None);
        using var gate = new DeviceGate(1);
        using var model = SegmentationModel.Create(package, InferenceDevice.Resolve("cpu"), gate);
        var predicted = await model.SegmentAsync(series.Volume, postProcess: true, CancellationToken.None);

        var truth = PatientCentroids(phantom.Labels);
        var found = PatientCentroids(predicted);
        var (sx, sy, sz) = geometry.Spacing;
        var truthOnSeriesGrid = Agent.Imaging.Preprocessing.Resampler.Resample(phantom.Labels, geometry);
        foreach (var label in new[] { PhantomLabels.Liver, PhantomLabels.Spleen, PhantomLabels.LeftKidney, PhantomLabels.RightKidney })
        {
            var name = PhantomLabels.Names[label];
            Assert.True(found.ContainsKey(label), $"the model found no {name}");
            var (t, p) = (truth[label], found[label]);
            Assert.True(Math.Abs(p.X - t.X) <= sx && Math.Abs(p.Y - t.Y) <= sy && Math.Abs(p.Z - t.Z) <= sz,
                $"{name}: predicted centroid ({p.X:F1}, {p.Y:F1}, {p.Z:F1}) vs truth ({t.X:F1}, {t.Y:F1}, {t.Z:F1}) mm, voxel {sx:F1}x{sy:F1}x{sz:F1}");
            var dice = LabelMetrics.Dice(predicted, truthOnSeriesGrid, label);
            Assert.True(dice >= 0.85, $"{name} Dice {dice:F3}");
        }
        // LPS: patient left is +x. A model (or a reader) that mirrored the patient would swap these.
        Assert.True(found[PhantomLabels.LeftKidney].X > found[PhantomLabels.RightKidney].X);
        Assert.True(found[PhantomLabels.Spleen].X > found[PhantomLabels.Liver].X);
    }

    [Fact]
    public async Task The_same_scan_through_the_same_model_twice_gives_byte_identical_labels()
    {
        // Provenance records the model version and its weights' SHA-256: that promises the same labels every time.
        var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = 2006, Matrix = 128, PixelSpacing = 3.2, SliceSpacing = 5 });
        var package = await ModelPackage.LoadAsync(Path.Combine(Agent.Tests.Shared.RepositoryRoot.Find(), "config", "models", "abdomen-ct-3d"), CancellationToken.None);
        using var gate = new DeviceGate(1);

        async Task<byte[]> SegmentAsync()
        {
            using var model = SegmentationModel.Create(package, InferenceDevice.Resolve("cpu"), gate);
            return (await model.SegmentAsync(phantom.Image, postProcess: true, CancellationToken.None)).Labels;
        }
        var first = await SegmentAsync();
        var second = await SegmentAsync();

        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, first.Distinct().Order());
        Assert.Equal(Convert.ToHexString(SHA256.HashData(first)), Convert.ToHexString(SHA256.HashData(second)));
    }

    private static Dictionary<byte, Vec3> PatientCentroids(LabelVolume labels)
    {
        var g = labels.Geometry;
        var sums = new Dictionary<byte, (Vec3 Sum, long N)>();
        for (int k = 0; k < g.Size.Z; k++)
            for (int j = 0; j < g.Size.Y; j++)
                for (int i = 0; i < g.Size.X; i++)
                {
                    var l = labels.At(i, j, k);
                    if (l == 0) continue;
                    var (s, n) = sums.GetValueOrDefault(l);
                    sums[l] = (s + Vec3.From(g.IndexToPatient(i, j, k)), n + 1);
                }
        return sums.ToDictionary(kv => kv.Key, kv => (1.0 / kv.Value.N) * kv.Value.Sum);
    }
}
