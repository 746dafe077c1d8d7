using Agent.Imaging.Postprocessing;

namespace Agent.Imaging.Tests.Postprocessing;

public sealed class MorphologyTests
{
    private static LabelVolume Grid(int n = 20, double spacing = 1) =>
        new(new ImageGeometry((n, n, n), (spacing, spacing, spacing), (0, 0, 0), ImageGeometry.IdentityDirection));

    private static void Box(LabelVolume v, byte label, int x0, int y0, int z0, int x1, int y1, int z1)
    {
        for (int k = z0; k <= z1; k++) for (int j = y0; j <= y1; j++) for (int i = x0; i <= x1; i++) v.At(i, j, k) = label;
    }

    [Fact]
    public void Largest_component_removes_smaller_islands_of_that_label_only()
    {
        var v = Grid();
        Box(v, 1, 2, 2, 2, 8, 8, 8);
        Box(v, 1, 12, 12, 12, 13, 13, 13);
        Box(v, 2, 15, 2, 2, 16, 3, 3);

        Morphology.KeepLargestComponent(v, 1);

        Assert.Equal(343, LabelMetrics.Count(v, 1));
        Assert.Equal(8, LabelMetrics.Count(v, 2));
    }

    [Fact]
    public void Diagonal_neighbours_join_components_with_26_connectivity_but_not_with_6()
    {
        var v = Grid();
        v.At(5, 5, 5) = 1;
        v.At(6, 6, 6) = 1;
        Assert.Equal([1L, 1L], Morphology.ComponentSizes(v, 1, Connectivity.Six));
        Assert.Equal([2L], Morphology.ComponentSizes(v, 1, Connectivity.TwentySix));
    }

    [Fact]
    public void Components_below_a_volume_in_millilitres_are_removed()
    {
        var v = Grid(spacing: 2); // 8 mm3 per voxel
        Box(v, 1, 0, 0, 0, 4, 4, 4);       // 125 voxels = 1.0 mL
        Box(v, 1, 10, 10, 10, 12, 12, 12); // 27 voxels = 0.216 mL
        Morphology.RemoveSmallComponents(v, 1, minMillilitres: 0.5);
        Assert.Equal(1.0, LabelMetrics.VolumeMillilitres(v, 1), 9);
    }

    [Fact]
    public void Enclosed_holes_are_filled_but_cavities_open_to_the_border_and_other_labels_are_not()
    {
        var v = Grid();
        Box(v, 1, 3, 3, 3, 11, 11, 11);
        Box(v, 0, 5, 5, 5, 7, 7, 7);           // enclosed hole: 27 voxels
        v.At(9, 9, 9) = 2;                      // another structure inside
        Box(v, 0, 6, 9, 6, 6, 11, 6);          // a channel reaching the outside stays open

        Morphology.FillHoles(v, 1);

        Assert.Equal(1, v.At(6, 6, 6));
        Assert.Equal(2, v.At(9, 9, 9));
        Assert.Equal(0, v.At(6, 10, 6));
        Assert.Equal(0, v.At(6, 11, 6));
    }

    [Fact]
    public void A_structure_touching_the_scan_edge_does_not_make_the_outside_count_as_a_hole()
    {
        var v = Grid(10);
        Box(v, 1, 0, 0, 0, 9, 9, 2);
        Box(v, 0, 4, 4, 0, 5, 5, 0); // a dent at the edge face, open to the outside of the scan
        Morphology.FillHoles(v, 1);
        Assert.Equal(0, v.At(4, 4, 0));
    }

    [Fact]
    public void Opening_removes_specks_and_thin_spurs_and_keeps_the_body()
    {
        var v = Grid();
        Box(v, 1, 4, 4, 4, 12, 12, 12);
        v.At(16, 16, 16) = 1;                           // speck
        for (int i = 13; i < 18; i++) v.At(i, 8, 8) = 1; // 1-voxel spur

        Morphology.Open(v, 1, 1);

        Assert.Equal(0, v.At(16, 16, 16));
        Assert.Equal(0, v.At(15, 8, 8));
        Assert.Equal(1, v.At(8, 8, 8));
        Assert.Equal(1, v.At(4, 8, 8));
    }

    [Fact]
    public void Closing_bridges_a_missing_slice_without_overwriting_another_label()
    {
        var v = Grid();
        Box(v, 1, 5, 5, 2, 12, 12, 6);
        Box(v, 1, 5, 5, 8, 12, 12, 12);   // slice 7 dropped by a 2D model
        v.At(8, 8, 7) = 3;               // except one voxel of another label

        Morphology.Close(v, 1, 1);

        Assert.Equal(1, v.At(10, 10, 7));
        Assert.Equal(3, v.At(8, 8, 7));
        Assert.Equal(0, v.At(14, 10, 7));
    }

    [Fact]
    public void Closing_keeps_voxels_on_the_scan_edge()
    {
        var v = Grid(8);
        Box(v, 1, 0, 0, 0, 7, 7, 1);
        var before = LabelMetrics.Count(v, 1);
        Morphology.Close(v, 1, 2);
        Assert.Equal(before, LabelMetrics.Count(v, 1));
    }

    [Fact]
    public void Post_processor_applies_configured_steps_per_label()
    {
        var v = Grid();
        Box(v, 1, 2, 2, 2, 8, 8, 8);
        v.At(5, 5, 5) = 0;
        Box(v, 1, 15, 15, 15, 16, 16, 16);
        PostProcessor.Apply(v, new Dictionary<byte, LabelPostProcessing>
        {
            [1] = new() { KeepLargestComponent = true, FillHoles = true },
        });
        Assert.Equal(343, LabelMetrics.Count(v, 1));
    }

    [Fact]
    public void Dice_and_volume_are_computed_per_label()
    {
        var a = Grid(10, 2);
        var b = Grid(10, 2);
        Box(a, 1, 0, 0, 0, 3, 0, 0); // 4 voxels
        Box(b, 1, 2, 0, 0, 5, 0, 0); // 4 voxels, 2 shared
        var scores = LabelMetrics.Score(a, b, 2);
        Assert.Equal(0.5, scores[0].Dice, 9);
        Assert.Equal(4 * 8 / 1000.0, scores[0].PredictedMillilitres, 9);
        Assert.Equal(1.0, scores[1].Dice); // absent in both
    }
}
