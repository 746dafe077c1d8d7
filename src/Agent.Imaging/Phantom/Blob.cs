namespace Agent.Imaging.Phantom;

/// <summary>
/// A rotated ellipsoid whose surface is rippled by a few low-frequency waves, so no two organs look alike.
/// Coordinates are the phantom's body frame (mm, LPS axes, origin mid-body).
/// </summary>
internal sealed class Blob
{
    private readonly Vec3 _centre;
    private readonly Vec3 _semi;
    private readonly double[] _rotation; // row-major; columns are the blob's axes in body space
    private readonly (Vec3 K, double Phase, double Amplitude)[] _waves;
    private readonly double _reach;

    public Blob(Random rng, Vec3 centre, Vec3 semi, (double X, double Y, double Z) maxAnglesDegrees, double ripple)
    {
        _centre = centre;
        _semi = semi;
        _rotation = Rotation(Angle(rng, maxAnglesDegrees.X), Angle(rng, maxAnglesDegrees.Y), Angle(rng, maxAnglesDegrees.Z));
        _waves = new (Vec3, double, double)[4];
        for (int i = 0; i < _waves.Length; i++)
        {
            var k = new Vec3(rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1).Normalized();
            _waves[i] = ((1.5 + 2.5 * rng.NextDouble()) * k, rng.NextDouble() * 2 * Math.PI, ripple * (0.5 + rng.NextDouble()) / _waves.Length);
        }
        _reach = Math.Max(semi.X, Math.Max(semi.Y, semi.Z)) * (1 + 2 * ripple);
    }

    public Vec3 Centre => _centre;

    /// <summary>Lowest and highest z the blob can reach.</summary>
    public (double Min, double Max) ZRange => (_centre.Z - _reach, _centre.Z + _reach);

    public bool Contains(Vec3 p)
    {
        var d = p - _centre;
        if (Math.Abs(d.X) > _reach || Math.Abs(d.Y) > _reach || Math.Abs(d.Z) > _reach) return false;
        var r = _rotation;
        var u = new Vec3(
            (r[0] * d.X + r[3] * d.Y + r[6] * d.Z) / _semi.X,
            (r[1] * d.X + r[4] * d.Y + r[7] * d.Z) / _semi.Y,
            (r[2] * d.X + r[5] * d.Y + r[8] * d.Z) / _semi.Z);
        var r2 = u.Dot(u);
        if (r2 > 2.5) return false;
        double bump = 0;
        foreach (var (k, phase, amplitude) in _waves) bump += amplitude * Math.Sin(k.Dot(u) + phase);
        return r2 < (1 + bump) * (1 + bump);
    }

    private static double Angle(Random rng, double maxDegrees) => (rng.NextDouble() * 2 - 1) * maxDegrees * Math.PI / 180;

    private static double[] Rotation(double ax, double ay, double az)
    {
        double cx = Math.Cos(ax), sx = Math.Sin(ax), cy = Math.Cos(ay), sy = Math.Sin(ay), cz = Math.Cos(az), sz = Math.Sin(az);
        // Rz * Ry * Rx
        return
        [
            cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx,
            sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx,
            -sy, cy * sx, cy * cx,
        ];
    }
}
