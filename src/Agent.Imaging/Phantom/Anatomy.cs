namespace Agent.Imaging.Phantom;

/// <summary>
/// A random abdomen in the body frame (mm; x to the patient's left, y posterior, z superior; origin on the midline
/// at the level of the kidneys). Gives tissue label and mean Hounsfield units at any point.
/// </summary>
internal sealed class Anatomy
{
    private readonly double _bodyA, _bodyB, _fat, _muscle;
    private readonly double _spineY, _vertebraR, _discPhase;
    private readonly Vec3 _aorta, _ivc;
    private readonly double _aortaR;
    private readonly Blob _liverRight, _liverLeft, _spleen, _kidneyLeft, _kidneyRight, _stomachGas;
    private readonly Blob[] _gas;
    private readonly (Vec3 K, double Phase)[] _bowel;
    private readonly Hu _hu;

    private sealed record Hu(double Fat, double Muscle, double Blood, double Ivc, double Liver, double Spleen, double Kidney,
        double KidneyMedulla, double Bowel, double Cortical, double Cancellous, double Disc, double Csf);

    public Anatomy(Random rng, ContrastPhase phase)
    {
        double U(double a, double b) => a + (b - a) * rng.NextDouble();
        _bodyA = U(140, 175);
        _bodyB = U(100, 125);
        _fat = U(8, 30);
        _muscle = U(8, 14);
        _vertebraR = U(16, 21);
        _spineY = _bodyB - _fat - _muscle - _vertebraR - U(30, 40);
        _discPhase = U(0, 32);
        _aortaR = U(9, 13);
        _aorta = new Vec3(U(8, 16), _spineY - _vertebraR - _aortaR - U(1, 4), 0);
        _ivc = new Vec3(-U(20, 28), _spineY - _vertebraR - U(6, 12), 0);

        var s = U(0.85, 1.15); // overall organ scale
        var jitter = new Func<double, double>(r => U(-r, r));
        _liverRight = new Blob(rng, new Vec3(-55 + jitter(10), -5 + jitter(8), 75 + jitter(10)), new Vec3(75 * s * U(0.9, 1.1), 70 * s * U(0.9, 1.1), 70 * s * U(0.9, 1.1)), (8, 8, 15), 0.08);
        _liverLeft = new Blob(rng, new Vec3(10 + jitter(8), -45 + jitter(6), 95 + jitter(8)), new Vec3(50 * s, 28 * s, 38 * s), (8, 8, 20), 0.1);
        _spleen = new Blob(rng, new Vec3(85 + jitter(8), 35 + jitter(8), 85 + jitter(10)), new Vec3(28 * s * U(0.8, 1.2), 55 * s * U(0.8, 1.2), 50 * s * U(0.8, 1.2)), (10, 10, 30), 0.1);
        double kidneyX = _vertebraR + U(38, 48), kidneyY = _spineY + U(-5, 8);
        _kidneyLeft = new Blob(rng, new Vec3(kidneyX, kidneyY, 10 + jitter(10)), new Vec3(27 * U(0.85, 1.15), 24 * U(0.85, 1.15), 55 * U(0.85, 1.15)), (15, 15, 25), 0.06);
        _kidneyRight = new Blob(rng, new Vec3(-kidneyX, kidneyY, -10 + jitter(10)), new Vec3(27 * U(0.85, 1.15), 24 * U(0.85, 1.15), 55 * U(0.85, 1.15)), (15, 15, 25), 0.06);
        _stomachGas = new Blob(rng, new Vec3(45 + jitter(10), -60 + jitter(8), 110 + jitter(10)), new Vec3(U(15, 35), U(10, 20), U(12, 25)), (10, 10, 30), 0.1);
        _gas = new Blob[rng.Next(3, 9)];
        for (int i = 0; i < _gas.Length; i++)
            _gas[i] = new Blob(rng, new Vec3(U(-90, 90), U(-_bodyB + 40, 10), U(-90, 40)), new Vec3(U(5, 18), U(4, 12), U(5, 25)), (30, 30, 90), 0.15);
        _bowel = new (Vec3, double)[5];
        for (int i = 0; i < _bowel.Length; i++)
        {
            var k = new Vec3(U(-1, 1), U(-1, 1), U(-1, 1)).Normalized();
            _bowel[i] = (U(0.05, 0.12) * k, U(0, 6.3));
        }

        bool pv = phase == ContrastPhase.PortalVenous;
        _hu = new Hu(
            Fat: U(-120, -85),
            Muscle: pv ? U(50, 65) : U(40, 55),
            Blood: pv ? U(140, 200) : U(35, 50),
            Ivc: pv ? U(110, 150) : U(35, 50),
            Liver: pv ? U(95, 125) : U(50, 65),
            Spleen: pv ? U(105, 130) : U(40, 50),
            Kidney: pv ? U(150, 200) : U(28, 38),
            KidneyMedulla: pv ? U(90, 120) : U(25, 33),
            Bowel: pv ? U(60, 90) : U(20, 40),
            Cortical: U(600, 900),
            Cancellous: U(150, 300),
            Disc: U(70, 100),
            Csf: U(5, 15));
    }

    public Vec3 LiverCentre => _liverRight.Centre;
    public Vec3 SpleenCentre => _spleen.Centre;
    public Vec3 LeftKidneyCentre => _kidneyLeft.Centre;
    public Vec3 RightKidneyCentre => _kidneyRight.Centre;

    /// <summary>The z range (body frame) that holds every labelled organ.</summary>
    public (double Min, double Max) OrganZRange
    {
        get
        {
            var blobs = new[] { _liverRight, _liverLeft, _spleen, _kidneyLeft, _kidneyRight };
            return (blobs.Min(b => b.ZRange.Min), blobs.Max(b => b.ZRange.Max));
        }
    }

    public double BodyHalfWidth => _bodyA;
    public double BodyHalfDepth => _bodyB;

    /// <summary>Label and mean HU at a point. Structures are tested in a fixed priority so they never overlap.</summary>
    public (byte Label, double Hu) Sample(Vec3 p)
    {
        // Body outline drifts gently along z, as abdomens do.
        double a = _bodyA * (1 + 0.04 * Math.Sin(p.Z / 60)), b = _bodyB * (1 + 0.05 * Math.Cos(p.Z / 75));
        double e = Sq(p.X / a) + Sq(p.Y / b);
        if (e > 1) return (0, -1000);
        double ef = Sq(p.X / (a - _fat)) + Sq(p.Y / (b - _fat));
        if (ef > 1) return (0, _hu.Fat);
        double em = Sq(p.X / (a - _fat - _muscle)) + Sq(p.Y / (b - _fat - _muscle));
        if (em > 1) return (0, _hu.Muscle);

        // Spine: vertebral body (cortex, cancellous bone, discs), canal, posterior elements; psoas and back muscles.
        double dx = p.X, dy = p.Y - _spineY;
        double rv = Math.Sqrt(dx * dx + dy * dy);
        bool disc = ((p.Z + _discPhase) % 32 + 32) % 32 < 6;
        if (rv < _vertebraR) return (0, disc ? _hu.Disc : rv > _vertebraR - 2 ? _hu.Cortical : _hu.Cancellous);
        double canalY = _spineY + _vertebraR + 9;
        if (Sq(dx / 8) + Sq((p.Y - canalY) / 8) < 1) return (0, _hu.Csf);
        if (Sq(dx / 14) + Sq((p.Y - canalY) / 14) < 1 && !disc) return (0, _hu.Cortical * 0.8);
        if (Sq(dx / 22) + Sq((p.Y - canalY - 18) / 10) < 1 && !disc) return (0, _hu.Cancellous * 1.5);
        double psoasR = 10 + Math.Clamp(-p.Z / 6, 0, 12);
        if (Sq((Math.Abs(dx) - _vertebraR - psoasR * 0.6) / psoasR) + Sq(dy / (psoasR * 1.1)) < 1) return (0, _hu.Muscle);
        if (Sq((Math.Abs(dx) - 35) / 28) + Sq((p.Y - canalY - 15) / 22) < 1) return (0, _hu.Muscle);

        if (Sq(p.X - _aorta.X) + Sq(p.Y - _aorta.Y) < _aortaR * _aortaR) return (0, _hu.Blood);
        if (Sq((p.X - _ivc.X) / 12) + Sq((p.Y - _ivc.Y) / 9) < 1) return (0, _hu.Ivc);

        if (_kidneyLeft.Contains(p)) return (PhantomLabels.LeftKidney, KidneyHu(p, _kidneyLeft));
        if (_kidneyRight.Contains(p)) return (PhantomLabels.RightKidney, KidneyHu(p, _kidneyRight));
        if (_spleen.Contains(p)) return (PhantomLabels.Spleen, _hu.Spleen);
        if (_liverRight.Contains(p) || _liverLeft.Contains(p)) return (PhantomLabels.Liver, _hu.Liver);

        if (_stomachGas.Contains(p)) return (0, -1000);
        foreach (var g in _gas) if (g.Contains(p)) return (0, -950);
        // Bowel loops and mesenteric fat: a smooth random field decides which.
        double f = 0;
        foreach (var (k, phase) in _bowel) f += Math.Sin(k.Dot(p) + phase);
        return (0, f > 0.3 ? _hu.Bowel : f > -0.2 ? 0.5 * (_hu.Bowel + _hu.Fat) : _hu.Fat);
    }

    // Medulla is darker than cortex after contrast; a simple radial model of it.
    private double KidneyHu(Vec3 p, Blob kidney)
    {
        var d = p - kidney.Centre;
        double inner = Sq(d.X / 14) + Sq(d.Y / 12) + Sq(d.Z / 35);
        return inner < 1 ? _hu.KidneyMedulla : _hu.Kidney;
    }

    private static double Sq(double v) => v * v;
}
