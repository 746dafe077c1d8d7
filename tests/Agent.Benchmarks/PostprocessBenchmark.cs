using System.Diagnostics;
using System.Globalization;
using Agent.Imaging;
using Agent.Imaging.Postprocessing;
using Agent.Imaging.Preprocessing;
using Agent.Inference.Packages;

namespace Agent.Benchmarks;

/// <summary>
/// `postprocess`: the abdomen manifest's post-processing (2 mm closing, largest component, fill holes for liver,
/// spleen and both kidneys) on a 512x512x480 label map at 0.8x0.8x0.7 mm with organ-sized blobs, vessel holes, a
/// dropped slice and scattered specks of every label (which make each label's box the whole scan, as an imperfect
/// model does); per step new vs the old implementation (on the liver; all labels with `old all`, none with `old none`),
/// then the whole post-processor; and ResampleArgmax of a 137x137x80 5-class map to that grid, fast vs slow path.
/// </summary>
public static class PostprocessBenchmark
{
    private static readonly ImageGeometry Grid = new((512, 512, 480), (0.8, 0.8, 0.7), (-204.8, -204.8, 0), ImageGeometry.IdentityDirection);

    // Centre (voxel index) and semi-axes (mm) of liver, spleen, left and right kidney.
    private static readonly (double X, double Y, double Z, double Rx, double Ry, double Rz)[] Organs =
    [
        (180, 230, 240, 85, 70, 75),
        (370, 260, 260, 45, 30, 50),
        (330, 330, 200, 30, 25, 55),
        (150, 330, 200, 30, 25, 55),
    ];

    [BenchmarkCommand("postprocess", "[old liver|all|none]")]
    public static int Run(string[] args)
    {
        string old = args.Length > 1 && args[0] == "old" ? args[1] : "liver";
        byte[] oldLabels = old switch { "all" => [1, 2, 3, 4], "none" => [], _ => [1] };
        var steps = AbdomenLabels.All.ToDictionary(l => (byte)l.Value, l => new LabelPostProcessing
        {
            OpeningMillimetres = l.PostProcessing.OpeningMm,
            ClosingMillimetres = l.PostProcessing.ClosingMm,
            KeepLargestComponent = l.PostProcessing.LargestComponent,
            FillHoles = l.PostProcessing.FillHoles,
        });
        WarmUp(steps);

        var watch = Stopwatch.StartNew();
        var scene = Scene(Grid, specks: 4000);
        Say($"scene {Grid.Size} at {Grid.Spacing} mm built in {watch.Elapsed.TotalSeconds:F1} s; {Environment.ProcessorCount} cores");
        for (byte l = 1; l <= 4; l++)
            Say($"  label {l}: {LabelMetrics.VolumeMillilitres(scene, l):F0} mL, {Morphology.ComponentSizes(scene, l).Length} components");

        // New, step by step over all labels, in the post-processor's order.
        var stepwise = Copy(scene);
        double close = 0, largest = 0, fill = 0;
        foreach (var (label, s) in steps.OrderBy(kv => kv.Key))
        {
            close += Time(() => Morphology.CloseMillimetres(stepwise, label, s.ClosingMillimetres));
            largest += Time(() => Morphology.KeepLargestComponent(stepwise, label));
            fill += Time(() => Morphology.FillHoles(stepwise, label));
        }
        Say($"new, each step on its own over 4 labels: closing 2 mm {close:F2} s, largest component {largest:F2} s, fill holes {fill:F2} s, sum {close + largest + fill:F2} s");

        var applied = Copy(scene);
        double total = Time(() => PostProcessor.Apply(applied, steps));
        Say($"new, PostProcessor.Apply (4 labels, one box pass, one copy per label): {total:F2} s; same labels as step by step: {applied.Labels.AsSpan().SequenceEqual(stepwise.Labels)}");

        foreach (var label in oldLabels) CompareOld(scene, label);

        Resample();
        Say($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
        return 0;
    }

    /// <summary>
    /// One label through old and new: the old closing is the voxel ball the old recommendation gave (2 mm over the
    /// finest spacing, 0.7 mm: 3 voxels, i.e. 2.4 mm in-plane and 2.1 mm across slices), so its output differs; the
    /// component and hole steps then start from the same (new) closed map and must agree voxel for voxel.
    /// </summary>
    private static void CompareOld(LabelVolume scene, byte label)
    {
        var a = Copy(scene);
        var b = Copy(scene);
        double newClose = Time(() => Morphology.CloseMillimetres(a, label, 2.0));
        double oldClose = Time(() => PostprocessOld.Close(b, label, 3));
        b = Copy(a);
        double newLargest = Time(() => Morphology.KeepLargestComponent(a, label));
        double oldLargest = Time(() => PostprocessOld.KeepLargestComponent(b, label));
        bool sameLargest = a.Labels.AsSpan().SequenceEqual(b.Labels);
        double newFill = Time(() => Morphology.FillHoles(a, label));
        double oldFill = Time(() => PostprocessOld.FillHoles(b, label));
        bool sameFill = a.Labels.AsSpan().SequenceEqual(b.Labels);
        Say($"label {label}, new vs old: closing {newClose:F2} vs {oldClose:F2} s; largest component {newLargest:F2} vs {oldLargest:F2} s (same: {sameLargest}); fill holes {newFill:F2} vs {oldFill:F2} s (same: {sameFill}); total {newClose + newLargest + newFill:F2} vs {oldClose + oldLargest + oldFill:F2} s");
    }

    private static void Resample()
    {
        var model = new ImageGeometry((137, 137, 80), (409.6 / 137, 409.6 / 137, 336.0 / 80), (0, 0, 0), ImageGeometry.IdentityDirection);
        // Same outer edges as the CT grid.
        model = model with
        {
            Origin = (Grid.Origin.X - Grid.Spacing.X / 2 + model.Spacing.X / 2, Grid.Origin.Y - Grid.Spacing.Y / 2 + model.Spacing.Y / 2,
                Grid.Origin.Z - Grid.Spacing.Z / 2 + model.Spacing.Z / 2),
        };
        var p = Probabilities(model);
        ProbabilityResampler.ResampleArgmax(p, model, model); // JIT warm-up
        ProbabilityResampler.ResampleArgmaxSlow(p, model, model);
        LabelVolume? fast = null, slow = null;
        double fastTime = Time(() => fast = ProbabilityResampler.ResampleArgmax(p, model, Grid));
        double slowTime = Time(() => slow = ProbabilityResampler.ResampleArgmaxSlow(p, model, Grid));
        Say($"ResampleArgmax {model.Size} x5 classes -> {Grid.Size}: fast path {fastTime:F2} s, slow path {slowTime:F2} s, identical: {fast!.Labels.AsSpan().SequenceEqual(slow!.Labels)}");
    }

    /// <summary>Softmax of logits that peak inside each organ, with a little noise, as a trained model's output looks.</summary>
    private static float[][] Probabilities(ImageGeometry model)
    {
        var p = Enumerable.Range(0, 5).Select(_ => new float[model.VoxelCount]).ToArray();
        var (nx, ny, nz) = model.Size;
        Parallel.For(0, nz, k =>
        {
            var rng = new Random(k);
            Span<double> logit = stackalloc double[5];
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                {
                    var at = Grid.PatientToIndex(model.IndexToPatient(i, j, k).X, model.IndexToPatient(i, j, k).Y, model.IndexToPatient(i, j, k).Z);
                    logit[0] = 2 + 0.5 * rng.NextDouble();
                    for (int c = 1; c < 5; c++) logit[c] = 4 * (1 - Math.Sqrt(Ellipsoid(Organs[c - 1], at.I, at.J, at.K))) + 2 + 0.5 * rng.NextDouble();
                    double max = 0, sum = 0;
                    foreach (var l in logit) max = Math.Max(max, l);
                    foreach (var l in logit) sum += Math.Exp(l - max);
                    long n = i + (long)nx * (j + (long)ny * k);
                    for (int c = 0; c < 5; c++) p[c][n] = (float)(Math.Exp(logit[c] - max) / sum);
                }
        });
        return p;
    }

    // Squared normalised distance from an organ's centre: 1 on its surface.
    private static double Ellipsoid((double X, double Y, double Z, double Rx, double Ry, double Rz) o, double i, double j, double k)
    {
        double a = (i - o.X) * Grid.Spacing.X / o.Rx, b = (j - o.Y) * Grid.Spacing.Y / o.Ry, c = (k - o.Z) * Grid.Spacing.Z / o.Rz;
        return a * a + b * b + c * c;
    }

    /// <summary>Organs with wavy surfaces and vessel-like holes, a slice the model dropped in the liver, and specks.</summary>
    private static LabelVolume Scene(ImageGeometry g, int specks)
    {
        var v = new LabelVolume(g);
        double scale = g.Size.X / 512.0;
        var (nx, ny, nz) = g.Size;
        for (int o = 0; o < Organs.Length; o++)
        {
            var organ = Organs[o];
            organ = (organ.X * scale, organ.Y * scale, organ.Z * g.Size.Z / 480.0, organ.Rx * scale, organ.Ry * scale, organ.Rz * g.Size.Z / 480.0);
            byte label = (byte)(o + 1);
            // Only the organ's box (with room for the wavy surface) needs testing.
            int i0 = Math.Max(0, (int)(organ.X - 1.2 * organ.Rx / g.Spacing.X)), i1 = Math.Min(nx - 1, (int)(organ.X + 1.2 * organ.Rx / g.Spacing.X));
            int j0 = Math.Max(0, (int)(organ.Y - 1.2 * organ.Ry / g.Spacing.Y)), j1 = Math.Min(ny - 1, (int)(organ.Y + 1.2 * organ.Ry / g.Spacing.Y));
            int k0 = Math.Max(0, (int)(organ.Z - 1.2 * organ.Rz / g.Spacing.Z)), k1 = Math.Min(nz - 1, (int)(organ.Z + 1.2 * organ.Rz / g.Spacing.Z));
            Parallel.For(k0, k1 + 1, k =>
            {
                for (int j = j0; j <= j1; j++)
                    for (int i = i0; i <= i1; i++)
                    {
                        double e = Ellipsoid(organ, i, j, k);
                        double wave = 1 + 0.06 * Math.Sin(i * 0.15) * Math.Cos(j * 0.11) + 0.04 * Math.Sin(k * 0.2);
                        if (e <= wave * wave) v.At(i, j, k) = label;
                    }
            });
        }
        var rng = new Random(7);
        // Vessel holes inside the liver and a dropped slice through it.
        var liver = Organs[0];
        for (int h = 0; h < 40; h++)
        {
            int ci = (int)((liver.X + (rng.NextDouble() - 0.5) * liver.Rx / g.Spacing.X) * scale);
            int cj = (int)((liver.Y + (rng.NextDouble() - 0.5) * liver.Ry / g.Spacing.Y) * scale);
            int ck = (int)((liver.Z + (rng.NextDouble() - 0.5) * liver.Rz / g.Spacing.Z) * g.Size.Z / 480.0);
            int r = 2 + rng.Next(4);
            for (int k = ck - r; k <= ck + r; k++) for (int j = cj - r; j <= cj + r; j++) for (int i = ci - r; i <= ci + r; i++)
                if ((uint)i < (uint)nx && (uint)j < (uint)ny && (uint)k < (uint)nz && (i - ci) * (i - ci) + (j - cj) * (j - cj) + (k - ck) * (k - ck) <= r * r && v.At(i, j, k) == 1)
                    v.At(i, j, k) = 0;
        }
        int dropped = (int)(liver.Z * g.Size.Z / 480.0) + 7;
        for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) if (v.At(i, j, dropped) == 1) v.At(i, j, dropped) = 0;
        for (int s = 0; s < specks; s++)
        {
            byte label = (byte)(1 + rng.Next(4));
            int ci = rng.Next(nx), cj = rng.Next(ny), ck = rng.Next(nz), size = 1 + rng.Next(3);
            for (int k = ck; k < Math.Min(nz, ck + size); k++) for (int j = cj; j < Math.Min(ny, cj + size); j++) for (int i = ci; i < Math.Min(nx, ci + size); i++)
                if (v.At(i, j, k) == 0) v.At(i, j, k) = label;
        }
        return v;
    }

    private static void WarmUp(Dictionary<byte, LabelPostProcessing> steps)
    {
        var small = Scene(new ImageGeometry((96, 96, 90), Grid.Spacing, (0, 0, 0), ImageGeometry.IdentityDirection), specks: 50);
        PostProcessor.Apply(Copy(small), steps);
        foreach (var (label, s) in steps)
        {
            Morphology.CloseMillimetres(small, label, s.ClosingMillimetres);
            Morphology.KeepLargestComponent(small, label);
            Morphology.FillHoles(small, label);
        }
        var old = Copy(small);
        PostprocessOld.Close(old, 1, 3);
        PostprocessOld.KeepLargestComponent(old, 1);
        PostprocessOld.FillHoles(old, 1);
    }

    private static LabelVolume Copy(LabelVolume v) => new(v.Geometry, (byte[])v.Labels.Clone());

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static void Say(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
