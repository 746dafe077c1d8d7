namespace Agent.Imaging.Tests;

public sealed class ImageGeometryTests
{
    [Fact]
    public void Geometries_with_the_same_numbers_are_equal_even_with_different_direction_arrays()
    {
        var a = new ImageGeometry((2, 3, 4), (1, 1, 2), (0, 0, 5), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
        var b = new ImageGeometry((2, 3, 4), (1, 1, 2), (0, 0, 5), ImageGeometry.IdentityDirection);
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Direction = [-1, 0, 0, 0, 1, 0, 0, 0, -1] });
        Assert.NotEqual(a, b with { Origin = (0, 0, 6) });
    }

    [Fact]
    public void Index_and_patient_coordinates_are_inverse_for_an_oblique_grid()
    {
        double c = Math.Cos(0.4), s = Math.Sin(0.4);
        var g = new ImageGeometry((10, 10, 10), (0.7, 0.9, 2.5), (10, -20, 30), [c, 0, s, 0, 1, 0, -s, 0, c]);
        var p = g.IndexToPatient(3.5, 2, 7);
        var (i, j, k) = g.PatientToIndex(p.X, p.Y, p.Z);
        Assert.Equal(3.5, i, 9);
        Assert.Equal(2, j, 9);
        Assert.Equal(7, k, 9);
    }
}
