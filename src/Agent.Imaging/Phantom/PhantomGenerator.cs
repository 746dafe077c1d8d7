using System.Globalization;
using System.Numerics;
using Agent.Dicom;

namespace Agent.Imaging.Phantom;

/// <summary>
/// Synthetic abdominal CT: a random anatomy placed on a random table position, scanned head to feet with the drawn
/// spacing, HFS or FFS. The volume's grid is what a series reader must reconstruct from the slices: origin at the
/// first slice along the normal (row x column cosines), axes row, column, normal.
/// </summary>
public static class PhantomGenerator
{
    public const double RescaleIntercept = -1024;

    public static PhantomCase Generate(PhantomOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rng = new Random(options.Seed);
        double U(double a, double b) => a + (b - a) * rng.NextDouble();

        var position = options.Position ?? (rng.Next(2) == 0 ? PatientPosition.HFS : PatientPosition.FFS);
        var phase = options.Phase ?? (rng.Next(2) == 0 ? ContrastPhase.NonContrast : ContrastPhase.PortalVenous);
        var pixel = options.PixelSpacing ?? U(0.6, 1.0);
        var dz = options.SliceSpacing ?? U(0.5, 5.0);
        var noise = options.NoiseHu ?? U(5, 25);
        if (options.Matrix is < 8 or > 2048) throw new ArgumentOutOfRangeException(nameof(options), "Matrix must be 8..2048");
        if (!(pixel > 0) || !(dz > 0)) throw new ArgumentOutOfRangeException(nameof(options), "spacing must be positive");

        var anatomy = new Anatomy(rng, phase);
        // Where the patient lies in the scanner's patient coordinate system: table height, lateral offset, table position.
        var bodyOffset = new Vec3(U(-15, 15), U(-30, 30), U(-700, 100));
        var (zMin, zMax) = anatomy.OrganZRange;
        double zLo = zMin - U(5, 30), zHi = zMax + U(5, 30);
        int slices = (int)Math.Ceiling((zHi - zLo) / dz) + 1;
        long voxels = (long)options.Matrix * options.Matrix * slices;
        if (voxels > Math.Min(options.MaxVoxels, Array.MaxLength))
            throw new ArgumentOutOfRangeException(nameof(options), string.Create(CultureInfo.InvariantCulture, $"{voxels} voxels exceed MaxVoxels {options.MaxVoxels}"));

        // Reconstruction centre: near the body, off by a few mm as real scans are; the field of view is matrix x pixel.
        double fov = options.Matrix * pixel;
        var centre = new Vec3(bodyOffset.X + U(-10, 10), bodyOffset.Y + U(-15, 15), 0);

        // FFS: scanner x and z run opposite to the patient's, so rows go to the patient's right and the normal points to the feet.
        var row = position == PatientPosition.HFS ? new Vec3(1, 0, 0) : new Vec3(-1, 0, 0);
        var col = new Vec3(0, 1, 0);
        var normal = row.Cross(col);
        // First voxel of a slice: half a pixel in from the FOV corner, in scanner axes mapped to patient axes.
        var corner = centre - ((fov / 2 - pixel / 2) * row) - ((fov / 2 - pixel / 2) * col);
        double pzHead = bodyOffset.Z + zHi;
        // Acquisition index a (head to feet) is at patient z = pzHead - a*dz; volume index k runs along the normal.
        double firstAlongNormal = normal.Z > 0 ? pzHead - (slices - 1) * dz : pzHead;
        var origin = new Vec3(corner.X, corner.Y, firstAlongNormal);
        var geometry = new ImageGeometry((options.Matrix, options.Matrix, slices), (pixel, pixel, dz), origin,
            [row.X, col.X, normal.X, row.Y, col.Y, normal.Y, row.Z, col.Z, normal.Z]);

        var image = new Volume(geometry);
        var labels = new LabelVolume(geometry);
        Render(anatomy, bodyOffset, image, labels, noise, options.Seed);

        var uids = new UidSource(rng);
        var scan = new PhantomScan(options.Seed, position, phase, pixel, dz, options.Matrix, slices, noise,
            uids.Next(), uids.Next(), uids.Next());
        var datasets = options.CreateDicom ? PhantomDicom.CreateSlices(scan, image, options, uids) : [];
        return new PhantomCase(anatomy, bodyOffset, scan, image, labels, datasets);
    }

    private static void Render(Anatomy anatomy, Vec3 bodyOffset, Volume image, LabelVolume labels, double noise, int seed)
    {
        var g = image.Geometry;
        int nx = g.Size.X, ny = g.Size.Y, n = nx * ny;
        // Partial volume across the slice thickness: average an odd number of sub-slices (the centre one gives the label).
        int sub = Math.Clamp((int)Math.Ceiling(g.Spacing.Z / 0.8), 1, 5) | 1;
        var rowDir = new Vec3(g.Direction[0], g.Direction[3], g.Direction[6]);
        var colDir = new Vec3(g.Direction[1], g.Direction[4], g.Direction[7]);
        var normal = new Vec3(g.Direction[2], g.Direction[5], g.Direction[8]);
        Parallel.For(0, g.Size.Z, k =>
        {
            var hu = new float[n];
            var tmp = new float[n];
            var sliceLabels = labels.Labels.AsSpan((int)((long)k * n), n);
            var sliceOrigin = Vec3.From(g.IndexToPatient(0, 0, k)) - bodyOffset;
            for (int j = 0; j < ny; j++)
            {
                var rowStart = sliceOrigin + (j * g.Spacing.Y) * colDir;
                for (int i = 0; i < nx; i++)
                {
                    var p = rowStart + (i * g.Spacing.X) * rowDir;
                    var (label, centre) = anatomy.Sample(p);
                    sliceLabels[i + nx * j] = label;
                    double value = centre;
                    if (sub > 1)
                    {
                        // Tissue is piecewise constant: when both ends of the slice thickness match the centre, so does
                        // everything between (structures are far thicker than a slice), and the inner samples can be skipped.
                        double half = (sub - 1) / 2.0 * g.Spacing.Z / sub;
                        var lo = anatomy.Sample(p - half * normal).Hu;
                        var hi = anatomy.Sample(p + half * normal).Hu;
                        if (lo == centre && hi == centre) value = centre;
                        else
                        {
                            double sum = centre + lo + hi;
                            for (int s = 1; s < sub - 1; s++)
                            {
                                double t = (s - (sub - 1) / 2.0) * g.Spacing.Z / sub;
                                if (t != 0) sum += anatomy.Sample(p + t * normal).Hu;
                            }
                            value = sum / sub;
                        }
                    }
                    hu[i + nx * j] = (float)value;
                }
            }
            Smooth(hu, tmp, nx, ny);
            // Textured noise: white noise through the same kernel, rescaled to the wanted standard deviation.
            var rng = new Random(HashCode.Combine(seed, k, 0x5eed));
            var white = new float[n];
            for (int i = 0; i < n; i++) white[i] = (float)Gaussian(rng);
            Smooth(white, tmp, nx, ny);
            const float kernelGain = 1f / 0.375f; // sqrt(sum w^2) of [1 2 1]/4 in 2D is 0.375
            var dst = image.Voxels.AsSpan((int)((long)k * n), n);
            for (int i = 0; i < n; i++)
            {
                // Stored as int16 with intercept -1024, so the volume holds exactly what the DICOM slices decode to.
                var value = Math.Clamp(Math.Round(hu[i] + noise * kernelGain * white[i]), -1024, 3071);
                dst[i] = (float)value;
            }
        });
    }

    /// <summary>Separable [1 2 1]/4 in-plane: the reconstruction kernel's blur; edges replicate.</summary>
    private static void Smooth(float[] a, float[] tmp, int nx, int ny)
    {
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++)
            {
                int l = Math.Max(i - 1, 0), r = Math.Min(i + 1, nx - 1);
                tmp[i + nx * j] = 0.25f * (a[l + nx * j] + 2 * a[i + nx * j] + a[r + nx * j]);
            }
        for (int j = 0; j < ny; j++)
        {
            int u = Math.Max(j - 1, 0), d = Math.Min(j + 1, ny - 1);
            for (int i = 0; i < nx; i++) a[i + nx * j] = 0.25f * (tmp[i + nx * u] + 2 * tmp[i + nx * j] + tmp[i + nx * d]);
        }
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

/// <summary>Deterministic "2.25." UIDs (PS3.5 B.2: a UUID as an integer) drawn from the phantom's random stream.</summary>
internal sealed class UidSource(Random rng)
{
    public string Next()
    {
        var bytes = new byte[16];
        rng.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4, as a random UUID
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }
}
