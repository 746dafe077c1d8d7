using System.Diagnostics;
using System.Globalization;
using Agent.Imaging;
using Agent.Imaging.Preprocessing;

namespace Agent.Benchmarks;

/// <summary>
/// `resample`: trilinear resampling of a 512x512x160 CT-sized float32 volume (0.8x0.8x3 mm) to 1.5 mm isotropic,
/// ours (Resampler, parallel over slices) vs scipy.ndimage.affine_transform(order=1) on the same data and mapping in
/// the same run; also checks both give the same values.
/// </summary>
public static class ResampleBenchmark
{
    private const int Rounds = 3;

    [BenchmarkCommand("resample", "[SLICES]")]
    public static int Run(string[] args)
    {
        int slices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 160;
        var g = new ImageGeometry((512, 512, slices), (0.8, 0.8, 3.0), (-200, -200, 0), ImageGeometry.IdentityDirection);
        var source = new Volume(g);
        var rng = new Random(1);
        for (long n = 0; n < source.Voxels.LongLength; n++)
        {
            int i = (int)(n % 512), j = (int)(n / 512 % 512), k = (int)(n / (512 * 512));
            source.Voxels[n] = (float)(300 * Math.Sin(i / 17.0) * Math.Cos(j / 23.0) + 20 * k + rng.NextDouble());
        }
        var target = Resampler.WithSpacing(g, (1.5, 1.5, 1.5));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"source {g.Size} at {g.Spacing} -> target {target.Size} at {target.Spacing}, {Environment.ProcessorCount} cores"));

        Resampler.Resample(source, target); // JIT warm-up
        var times = new List<double>();
        Volume? ours = null;
        for (int r = 0; r < Rounds; r++)
        {
            var watch = Stopwatch.StartNew();
            ours = Resampler.Resample(source, target);
            times.Add(watch.Elapsed.TotalSeconds);
        }

        var dir = Directory.CreateTempSubdirectory("agent-resample-bench-").FullName;
        try
        {
            var input = Path.Combine(dir, "in.f32");
            var output = Path.Combine(dir, "out.f32");
            using (var f = File.Create(input)) f.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(source.Voxels.AsSpan()));
            var scale = (target.Spacing.X / g.Spacing.X, target.Spacing.Y / g.Spacing.Y, target.Spacing.Z / g.Spacing.Z);
            var (scipyTime, log) = RunScipy(input, output, g.Size, target.Size, scale);
            var reference = new float[target.VoxelCount];
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(reference.AsSpan()).Clear();
            using (var f = File.OpenRead(output)) f.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(reference.AsSpan()));
            // Compare away from the far edges, where scipy's boundary mode and our half-voxel rule differ.
            double maxDiff = 0;
            var t = target.Size;
            for (int k = 0; k < t.Z - 2; k++)
                for (int j = 0; j < t.Y - 2; j++)
                    for (int i = 0; i < t.X - 2; i++)
                    {
                        long n = i + (long)t.X * (j + (long)t.Y * k);
                        maxDiff = Math.Max(maxDiff, Math.Abs(reference[n] - ours!.Voxels[n]));
                    }
            double best = times.Min();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours  (Resampler.Resample, linear): best {best * 1000:F0} ms of {Rounds}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scipy (ndimage.affine_transform, order=1): best {scipyTime * 1000:F0} ms of {Rounds} {log}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio scipy/ours: {scipyTime / best:F2}x; max |difference| inside: {maxDiff:G3}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB"));
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private const string Script = """
import sys, time, numpy as np, scipy.ndimage as nd
inp, out = sys.argv[1], sys.argv[2]
sx, sy, sz, tx, ty, tz = map(int, sys.argv[3:9]); fx, fy, fz = map(float, sys.argv[9:12])
a = np.fromfile(inp, dtype=np.float32).reshape((sz, sy, sx))
m = np.array([fz, fy, fx]); off = 0.5 * (m - 1)
best = 1e9
for _ in range(3):
    t = time.perf_counter()
    r = nd.affine_transform(a, m, offset=off, output_shape=(tz, ty, tx), order=1, mode='nearest', prefilter=False)
    best = min(best, time.perf_counter() - t)
r.astype(np.float32).tofile(out)
print(best)
""";

    private static (double Seconds, string Log) RunScipy(string input, string output, (int X, int Y, int Z) s, (int X, int Y, int Z) t, (double X, double Y, double Z) f)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        foreach (var a in new object[] { input, output, s.X, s.Y, s.Z, t.X, t.Y, t.Z, f.X, f.Y, f.Z })
            psi.ArgumentList.Add(Convert.ToString(a, CultureInfo.InvariantCulture)!);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("scipy failed: " + stderr);
        return (double.Parse(stdout.Trim(), CultureInfo.InvariantCulture), "(single-threaded)");
    }
}
