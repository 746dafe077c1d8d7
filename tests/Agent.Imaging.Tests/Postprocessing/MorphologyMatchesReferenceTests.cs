using Agent.Imaging.Postprocessing;

namespace Agent.Imaging.Tests.Postprocessing;

/// <summary>The distance-transform morphology and run-based components against the brute-force reference.</summary>
public sealed class MorphologyMatchesReferenceTests
{
    private static readonly (double X, double Y, double Z) Anisotropic = (0.8, 0.7, 1.3);

    /// <summary>
    /// Two labels of random blobs (some touching the scan edge) plus scattered specks and pinholes, so every case
    /// shows up: gaps to bridge, spurs to cut, holes, edge contact and a neighbouring structure to leave alone.
    /// </summary>
    private static LabelVolume RandomScene(int seed, (double X, double Y, double Z) spacing, int nx = 26, int ny = 22, int nz = 14)
    {
        var rng = new Random(seed);
        var v = new LabelVolume(new ImageGeometry((nx, ny, nz), spacing, (0, 0, 0), ImageGeometry.IdentityDirection));
        for (int b = 0; b < 7; b++)
        {
            byte label = (byte)(b % 3 == 2 ? 2 : 1);
            double cx = rng.Next(nx), cy = rng.Next(ny), cz = rng.Next(nz);
            double rx = 1 + rng.NextDouble() * 5, ry = 1 + rng.NextDouble() * 5, rz = 1 + rng.NextDouble() * 3;
            for (int k = 0; k < nz; k++)
                for (int j = 0; j < ny; j++)
                    for (int i = 0; i < nx; i++)
                    {
                        double e = Math.Pow((i - cx) / rx, 2) + Math.Pow((j - cy) / ry, 2) + Math.Pow((k - cz) / rz, 2);
                        if (e <= 1) v.At(i, j, k) = label;
                    }
        }
        for (int n = 0; n < v.Labels.Length; n++)
        {
            double u = rng.NextDouble();
            if (u < 0.03) v.Labels[n] = 1;
            else if (u < 0.05) v.Labels[n] = 0;
            else if (u < 0.055) v.Labels[n] = 2;
        }
        return v;
    }

    private static LabelVolume Copy(LabelVolume v) => new(v.Geometry, (byte[])v.Labels.Clone());

    public static TheoryData<int, double> Radii => new()
    {
        { 1, 0.75 }, { 2, 1.0 }, { 3, 1.4 }, { 4, 2.0 }, { 5, 2.6 }, { 6, 3.5 },
    };

    [Theory]
    [MemberData(nameof(Radii))]
    public void Closing_in_millimetres_equals_the_brute_force_ball_on_anisotropic_grids(int seed, double millimetres)
    {
        var fast = RandomScene(seed, Anisotropic);
        var slow = Copy(fast);

        Morphology.CloseMillimetres(fast, 1, millimetres);
        ReferenceMorphology.Close(slow, 1, millimetres, Anisotropic);

        Assert.Equal(slow.Labels, fast.Labels);
    }

    [Theory]
    [MemberData(nameof(Radii))]
    public void Opening_in_millimetres_equals_the_brute_force_ball_on_anisotropic_grids(int seed, double millimetres)
    {
        var fast = RandomScene(seed, Anisotropic);
        var slow = Copy(fast);

        Morphology.OpenMillimetres(fast, 1, millimetres);
        ReferenceMorphology.Open(slow, 1, millimetres, Anisotropic);

        Assert.Equal(slow.Labels, fast.Labels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Voxel_radius_opening_and_closing_use_the_same_voxel_ball_as_before(int radius)
    {
        var spacing = (2.0, 1.0, 3.0); // voxel radii ignore spacing
        var fast = RandomScene(10 + radius, spacing);
        var slow = Copy(fast);

        Morphology.Close(fast, 1, radius);
        Morphology.Open(fast, 2, radius);
        ReferenceMorphology.Close(slow, 1, radius, (1, 1, 1));
        ReferenceMorphology.Open(slow, 2, radius, (1, 1, 1));

        Assert.Equal(slow.Labels, fast.Labels);
    }

    [Fact]
    public void A_two_millimetre_closing_reaches_two_millimetres_along_every_axis_whatever_the_spacing()
    {
        // 0.7 mm in-plane, 2.5 mm slices: a 2 mm ball spans 2 voxels in-plane and none across slices, where a voxel
        // ball sized by the finest spacing (3 voxels) would reach 7.5 mm across slices.
        var g = new ImageGeometry((30, 30, 12), (0.7, 0.7, 2.5), (0, 0, 0), ImageGeometry.IdentityDirection);
        var v = new LabelVolume(g);
        for (int k = 0; k < 12; k++) for (int j = 5; j < 25; j++) for (int i = 5; i < 25; i++) if (k != 6) v.At(i, j, k) = 1;
        for (int k = 0; k < 12; k++) for (int j = 5; j < 25; j++) { v.At(14, j, k) = 0; v.At(15, j, k) = 0; v.At(16, j, k) = 0; }

        Morphology.CloseMillimetres(v, 1, 2.0);

        Assert.Equal(0, v.At(10, 10, 6));  // a 2.5 mm missing slice is wider than a 2 mm ball reaches
        Assert.Equal(1, v.At(15, 10, 3));  // a 2.1 mm in-plane slit is bridged
    }

    [Theory]
    [InlineData(21, Connectivity.TwentySix)]
    [InlineData(22, Connectivity.Six)]
    [InlineData(23, Connectivity.TwentySix)]
    [InlineData(24, Connectivity.Six)]
    public void Component_filtering_and_hole_filling_equal_a_breadth_first_search(int seed, Connectivity connectivity)
    {
        var spacing = (1.0, 1.0, 1.0);
        var fast = RandomScene(seed, spacing);
        var slow = Copy(fast);
        Assert.Equal(Sizes(slow, 1, connectivity), Morphology.ComponentSizes(fast, 1, connectivity));

        Morphology.RemoveSmallComponents(fast, 1, minMillilitres: 0.004, connectivity); // 4 voxels of 1 mm³
        ReferenceMorphology.RemoveSmall(slow, 1, 4, connectivity);
        Assert.Equal(slow.Labels, fast.Labels);

        Morphology.KeepLargestComponent(fast, 2, connectivity);
        ReferenceMorphology.KeepLargest(slow, 2, connectivity);
        Assert.Equal(slow.Labels, fast.Labels);

        Morphology.FillHoles(fast, 1);
        ReferenceMorphology.FillHoles(slow, 1);
        Assert.Equal(slow.Labels, fast.Labels);
    }

    [Fact]
    public void Largest_component_keeps_the_first_in_scan_order_when_two_tie()
    {
        var v = new LabelVolume(new ImageGeometry((10, 10, 10), (1, 1, 1), (0, 0, 0), ImageGeometry.IdentityDirection));
        v.At(7, 1, 1) = 1; v.At(8, 1, 1) = 1;  // first in scan order
        v.At(1, 5, 5) = 1; v.At(2, 5, 5) = 1;
        Morphology.KeepLargestComponent(v, 1);
        Assert.Equal(1, v.At(7, 1, 1));
        Assert.Equal(0, v.At(1, 5, 5));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    public void The_post_processor_equals_its_steps_run_one_by_one(int seed)
    {
        var fast = RandomScene(seed, Anisotropic, 30, 26, 16);
        var slow = Copy(fast);
        var steps = new Dictionary<byte, LabelPostProcessing>
        {
            [1] = new() { ClosingMillimetres = 2, KeepLargestComponent = true, FillHoles = true },
            [2] = new() { OpeningMillimetres = 1, ClosingMillimetres = 1.5, MinComponentMillilitres = 0.003, FillHoles = true, Connectivity = Connectivity.Six },
        };

        PostProcessor.Apply(fast, steps);

        ReferenceMorphology.Close(slow, 1, 2, Anisotropic);
        ReferenceMorphology.KeepLargest(slow, 1, Connectivity.TwentySix);
        ReferenceMorphology.FillHoles(slow, 1);
        ReferenceMorphology.Open(slow, 2, 1, Anisotropic);
        ReferenceMorphology.Close(slow, 2, 1.5, Anisotropic);
        long minVoxels = (long)Math.Ceiling(0.003 / LabelMetrics.VoxelMillilitres(slow.Geometry) - 1e-9);
        ReferenceMorphology.RemoveSmall(slow, 2, minVoxels, Connectivity.Six);
        ReferenceMorphology.FillHoles(slow, 2);
        Assert.Equal(slow.Labels, fast.Labels);
    }

    private static long[] Sizes(LabelVolume v, byte label, Connectivity connectivity)
    {
        var copy = Copy(v);
        var sizes = new List<long>();
        // Peel components off one at a time with the reference: the largest is what KeepLargest leaves.
        while (LabelMetrics.Count(copy, label) > 0)
        {
            var before = Copy(copy);
            ReferenceMorphology.KeepLargest(copy, label, connectivity);
            long n = LabelMetrics.Count(copy, label);
            sizes.Add(n);
            for (int i = 0; i < copy.Labels.Length; i++) copy.Labels[i] = before.Labels[i] == label && copy.Labels[i] == label ? (byte)0 : before.Labels[i];
        }
        return [.. sizes];
    }
}
