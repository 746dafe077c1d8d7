using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Agent.Imaging;
using Agent.Inference;
using Agent.Inference.Models;
using Agent.Inference.SlidingWindow;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Agent.Benchmarks;

/// <summary>
/// `inference`: sliding-window inference of the 3D U-Net on a CT-sized volume on the CPU, timed next to the same
/// network (same weights, same patches, same Gaussian blending) run by Debian's python3-torch in the same run.
/// Default: a 480x512x512 CT at 0.8x0.8x1 mm resampled to a 2x2x3 mm model grid, as the pipeline does;
/// `--native` runs the window over the full 480x512x512 grid instead (slow on 2 cores).
/// Options: --features 8,16,32,64  --patch 64 (cube, X=Y=Z)  --classes 5  --native
/// </summary>
internal static class InferenceBenchmark
{
    [BenchmarkCommand("inference")]
    public static int Run(string[] args)
    {
        bool native = args.Contains("--native");
        string features = Option(args, "--features", "8,16,32,64");
        int patch = int.Parse(Option(args, "--patch", "64"), CultureInfo.InvariantCulture);
        int classes = int.Parse(Option(args, "--classes", "5"), CultureInfo.InvariantCulture);
        InferenceDevice.ConfigureThreads();
        var work = Directory.CreateTempSubdirectory("bench-inference-").FullName;
        try
        {
            var ct = SyntheticCt((512, 512, 480), (0.8, 0.8, 1.0));
            var grid = native ? ct.Geometry : ct.Geometry with
            {
                Size = (Count(512, 0.8, 2), Count(512, 0.8, 2), Count(480, 1.0, 3)),
                Spacing = (2, 2, 3),
            };
            var clock = Stopwatch.StartNew();
            var onGrid = native ? ct : Agent.Imaging.Preprocessing.Resampler.Resample(ct, grid, Agent.Imaging.Preprocessing.Interpolation.Linear, outside: -1000);
            var normalized = IntensityNormalizer.Apply(onGrid, new Agent.Inference.Packages.NormalizationSpec { Scheme = "ct", Window = [-160, 240] });
            double prepSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"volume 512x512x480 @0.8x0.8x1 mm; model grid {grid.Size} @{grid.Spacing} mm; patch {patch}^3; features {features}; threads {get_num_threads()}");
            Console.WriteLine($"resample + normalise (C#): {prepSeconds:F1} s");

            string twin = Path.Combine(AppContext.BaseDirectory, "Python", "unet_twin.py");
            bool havePython = Python(["-c", "import torch"], out _) == 0;
            string weights = Path.Combine(work, "state_dict.pt");
            if (havePython)
            {
                if (Python([twin, "export", work, "--dims", "3", "--features", features, "--classes", classes.ToString(CultureInfo.InvariantCulture)], out var err) != 0)
                {
                    Console.Error.WriteLine(err);
                    return 1;
                }
            }
            var options = new UNetOptions { Dimensions = 3, Classes = classes, Features = features.Split(',').Select(int.Parse).ToArray() };
            using var net = new UNet(options);
            if (havePython) net.load_py(weights);
            net.eval();

            var window = new SlidingWindowOptions { PatchSize = (patch, patch, patch), Overlap = 0.5, BatchSize = 2 };
            long before = PeakRssMb();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            var probabilities = SlidingWindowPredictor.Predict(normalized, net.forward, classes, window, CPU, CancellationToken.None);
            var labels = probabilities.ArgMax();
            double csharp = clock.Elapsed.TotalSeconds;
            double csharpCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            long peak = PeakRssMb();
            Console.WriteLine($"C# TorchSharp sliding window + argmax: {csharp:F1} s wall, {csharpCpu:F1} s CPU, peak RSS {peak} MB (before inference {before} MB)");

            if (!havePython)
            {
                Console.WriteLine("python3-torch: MISSING (apt-get install python3-torch) - no reference timing");
                return 0;
            }
            var volumeFile = Path.Combine(work, "volume.f32");
            using (var f = File.Create(volumeFile))
            {
                f.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(normalized.Voxels.AsSpan()));
            }
            var labelsFile = Path.Combine(work, "labels.u8");
            var (gx, gy, gz) = grid.Size;
            int code = Python([twin, "bench", weights, volumeFile, "--shape", $"{gz},{gy},{gx}", "--patch", $"{patch},{patch},{patch}",
                "--overlap", "0.5", "--batch", "2", "--features", features, "--classes", classes.ToString(CultureInfo.InvariantCulture),
                "--threads", get_num_threads().ToString(CultureInfo.InvariantCulture), "--labels-out", labelsFile], out var output);
            if (code != 0)
            {
                Console.Error.WriteLine(output);
                return 1;
            }
            using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            double py = json.RootElement.GetProperty("seconds").GetDouble();
            double pyCpu = json.RootElement.GetProperty("cpu_seconds").GetDouble();
            double pyPeak = json.RootElement.GetProperty("peak_rss_mb").GetDouble();
            var pyLabels = File.ReadAllBytes(labelsFile);
            double agree = pyLabels.Zip(labels.Labels).Count(p => p.First == p.Second) / (double)pyLabels.Length;
            Console.WriteLine($"python3-torch {TorchVersion()} same network: {py:F1} s wall, {pyCpu:F1} s CPU, peak RSS {pyPeak:F0} MB");
            // On a shared machine wall time depends on the neighbours; CPU time is the steadier comparison.
            Console.WriteLine($"ratio C#/python: wall {csharp / py:F2}, CPU {csharpCpu / pyCpu:F2} (target <= 1.10); label agreement {agree:P3}");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static int Count(int n, double s, double t) => (int)Math.Round((n - 1) * s / t) + 1;

    private static string Option(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>Body ellipse of soft tissue with a fat rim, "organs" and noise: a CT-like intensity distribution.</summary>
    private static Volume SyntheticCt((int X, int Y, int Z) size, (double X, double Y, double Z) spacing)
    {
        var g = new ImageGeometry(size, spacing, (-204.8, -204.8, 0), ImageGeometry.IdentityDirection);
        var v = new Volume(g);
        Parallel.For(0, size.Z, z =>
        {
            var rng = new Random(z);
            for (int y = 0; y < size.Y; y++)
            {
                for (int x = 0; x < size.X; x++)
                {
                    double ex = (x - size.X / 2.0) / (size.X * 0.42), ey = (y - size.Y / 2.0) / (size.Y * 0.32);
                    double r = ex * ex + ey * ey;
                    double hu = r > 1 ? -1000 : r > 0.85 ? -100 : 40;
                    double lx = (x - size.X * 0.35) / (size.X * 0.15), ly = (y - size.Y * 0.45) / (size.Y * 0.12);
                    if (lx * lx + ly * ly < 1 && z > size.Z / 4 && z < size.Z * 3 / 4) hu = 60;
                    v.Voxels[x + (long)size.X * (y + (long)size.Y * z)] = (float)(hu + rng.NextDouble() * 30 - 15);
                }
            }
        });
        return v;
    }

    private static long PeakRssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        return -1;
    }

    private static string TorchVersion() => Python(["-c", "import torch; print(torch.__version__)"], out var v) == 0 ? v.Trim() : "?";

    private static int Python(string[] args, out string output)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            output += err.GetAwaiter().GetResult();
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output = e.Message;
            return -1;
        }
    }
}
