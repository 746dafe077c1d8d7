using Agent.Dicom;
using Agent.Imaging.Phantom;
using Agent.Imaging.Preprocessing;
using Agent.Imaging.Series;

namespace Agent.Imaging.Tests.Phantom;

/// <summary>
/// Issue 5's geometry acceptance: a phantom with known organ positions, acquired with shuffled slices and anisotropic
/// spacing, reconstructed by the series reader, gives label masks at the right patient coordinates.
/// </summary>
public sealed class GeometryAcceptanceTests
{
    private static PhantomCase Acquire(PatientPosition position, int seed) => PhantomGenerator.Generate(new PhantomOptions
    {
        Seed = seed,
        Position = position,
        Matrix = 160,
        PixelSpacing = 2.6,
        SliceSpacing = 4.5,
        NoiseHu = 10,
    });

    [Theory]
    [InlineData(PatientPosition.FFS, 11)]
    [InlineData(PatientPosition.HFS, 12)]
    public async Task Reconstructed_shuffled_series_puts_every_organ_at_its_patient_coordinates(PatientPosition position, int seed)
    {
        var phantom = Acquire(position, seed);
        using var tmp = new TempFolder();
        await PhantomWriter.WriteDicomAsync(phantom, tmp.Path, CancellationToken.None);
        // Read in file-name order, which the writer shuffled: nothing about the order may matter.
        var files = Directory.GetFiles(tmp.Path).Order(StringComparer.Ordinal).Select(f => DicomFile.Open(f)).ToList();
        Assert.NotEqual(phantom.Slices[0].GetString(new DicomTag(0x00080018)), files[0].Dataset.GetString(new DicomTag(0x00080018)));

        var series = SeriesVolumeBuilder.Build(files);

        Assert.True(series.IsUsable, series.Report.ToString());
        Assert.Empty(series.Report.Issues);
        var g = series.Volume!.Geometry;
        Assert.Equal(phantom.Image.Geometry.Size, g.Size);
        Assert.Equal(position == PatientPosition.FFS ? -1 : 1, g.Direction[8], 9);
        // The pixels come out where the generator put them (slice order and in-plane orientation).
        Assert.Equal(phantom.Image.Voxels, series.Volume.Voxels);

        // Ground truth carried over by patient coordinates, then checked against the analytic anatomy at each voxel.
        var labels = Resampler.Resample(phantom.Labels, g);
        long agree = 0, total = 0;
        var sum = new Dictionary<byte, (Vec3 Sum, long N)>();
        for (int k = 0; k < g.Size.Z; k++)
            for (int j = 0; j < g.Size.Y; j += 2)
                for (int i = 0; i < g.Size.X; i += 2)
                {
                    var p = Vec3.From(g.IndexToPatient(i, j, k));
                    var l = labels.At(i, j, k);
                    total++;
                    if (phantom.LabelAt(p) == l) agree++;
                    if (l == 0) continue;
                    var (s, n) = sum.GetValueOrDefault(l);
                    sum[l] = (s + p, n + 1);
                }
        Assert.True(agree >= 0.999 * total, $"{agree} of {total} voxels agree with the analytic anatomy");

        foreach (var label in new[] { PhantomLabels.Liver, PhantomLabels.Spleen, PhantomLabels.LeftKidney, PhantomLabels.RightKidney })
        {
            var (s, n) = sum[label];
            var centroid = (1.0 / n) * s;
            var truth = AnalyticCentroid(phantom, label, phantom.OrganCentres[label]);
            Assert.True(Math.Abs(centroid.X - truth.X) <= g.Spacing.X, $"{PhantomLabels.Names[label]} x {centroid.X:F1} vs {truth.X:F1}");
            Assert.True(Math.Abs(centroid.Y - truth.Y) <= g.Spacing.Y, $"{PhantomLabels.Names[label]} y {centroid.Y:F1} vs {truth.Y:F1}");
            Assert.True(Math.Abs(centroid.Z - truth.Z) <= g.Spacing.Z, $"{PhantomLabels.Names[label]} z {centroid.Z:F1} vs {truth.Z:F1}");
        }

        // Patient left is +x in LPS: the left kidney and the spleen lie on the +x side of the midline, the liver and right kidney on the -x side.
        var mid = phantom.BodyCentre.X;
        Assert.True((1.0 / sum[PhantomLabels.LeftKidney].N * sum[PhantomLabels.LeftKidney].Sum).X > mid + 30);
        Assert.True((1.0 / sum[PhantomLabels.RightKidney].N * sum[PhantomLabels.RightKidney].Sum).X < mid - 30);
        Assert.True((1.0 / sum[PhantomLabels.Spleen].N * sum[PhantomLabels.Spleen].Sum).X > mid + 30);
        Assert.True((1.0 / sum[PhantomLabels.Liver].N * sum[PhantomLabels.Liver].Sum).X < mid);
    }

    /// <summary>The organ's centroid from the analytic anatomy on an independent 3 mm grid around its base centre.</summary>
    private static Vec3 AnalyticCentroid(PhantomCase phantom, byte label, Vec3 centre)
    {
        var sum = new Vec3(0, 0, 0);
        long n = 0;
        for (double z = -140; z <= 140; z += 3)
            for (double y = -120; y <= 120; y += 3)
                for (double x = -120; x <= 120; x += 3)
                {
                    var p = centre + new Vec3(x, y, z);
                    if (phantom.LabelAt(p) != label) continue;
                    sum += p;
                    n++;
                }
        return (1.0 / n) * sum;
    }
}
