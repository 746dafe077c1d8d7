using System.Diagnostics;
using System.Globalization;
using Agent.Dicom;
using Agent.Imaging.Phantom;
using Agent.Imaging.Series;

namespace Agent.Benchmarks;

/// <summary>
/// `series [SLICE_MM]`: a 512x512 phantom CT series (default 1.25 mm slices, about 200 files, shuffled names) read from
/// disk into a float32 HU volume: ours (DicomFile.Open + SeriesVolumeBuilder) vs pydicom (dcmread, sort by position
/// along the normal, pixel_array x slope + intercept stacked with numpy) on the same files in the same run.
/// </summary>
public static class SeriesBenchmark
{
    private const int Rounds = 3;

    [BenchmarkCommand("series", "[SLICE_MM]")]
    public static int Run(string[] args)
    {
        double slice = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.25;
        var dir = Directory.CreateTempSubdirectory("agent-series-bench-").FullName;
        try
        {
            var watch = Stopwatch.StartNew();
            var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = 3, PixelSpacing = 0.8, SliceSpacing = slice, Position = PatientPosition.FFS });
            // Shuffled names, as PhantomWriter does; written synchronously here because the benchmark is synchronous.
            var order = Enumerable.Range(0, phantom.Slices.Count).ToArray();
            new Random(3).Shuffle(order);
            for (int n = 0; n < order.Length; n++)
                new DicomFile(phantom.Slices[order[n]], DicomTransferSyntax.ExplicitVRLittleEndian)
                    .Save(Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"IM{n:D5}.dcm")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"phantom {phantom.Image.Geometry.Size} written as {order.Length} files in {watch.Elapsed.TotalSeconds:F1} s"));
            phantom = null;
            GC.Collect();

            var names = Directory.GetFiles(dir).Order(StringComparer.Ordinal).ToArray();
            Build(names); // warm-up (JIT, page cache)
            var times = new List<double>();
            for (int r = 0; r < Rounds; r++)
            {
                watch.Restart();
                var v = Build(names);
                times.Add(watch.Elapsed.TotalSeconds);
                if (v.Volume is null) throw new InvalidOperationException(v.Report.ToString());
            }
            var pydicom = RunPydicom(dir);
            double best = times.Min();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours    (DicomFile.Open + SeriesVolumeBuilder): best {best * 1000:F0} ms of {Rounds}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pydicom (dcmread + sort + rescale + stack):     best {pydicom * 1000:F0} ms of {Rounds}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio pydicom/ours: {pydicom / best:F2}x"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB"));
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static SeriesVolume Build(string[] names) => SeriesVolumeBuilder.Build(names.Select(n => DicomFile.Open(n)));

    private const string Script = """
import sys, os, time, numpy as np, pydicom
folder = sys.argv[1]
names = sorted(os.listdir(folder))
def run():
    ds = [pydicom.dcmread(os.path.join(folder, n)) for n in names]
    iop = np.array(ds[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(iop[:3], iop[3:])
    ds.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, dtype=float))))
    vol = np.empty((len(ds), ds[0].Rows, ds[0].Columns), dtype=np.float32)
    for k, d in enumerate(ds):
        vol[k] = d.pixel_array.astype(np.float32) * float(d.RescaleSlope) + float(d.RescaleIntercept)
    return vol
run()
best = 1e9
for _ in range(3):
    t = time.perf_counter(); run(); best = min(best, time.perf_counter() - t)
print(best)
""";

    private static double RunPydicom(string folder)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        psi.ArgumentList.Add(folder);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("pydicom failed: " + stderr);
        return double.Parse(stdout.Trim(), CultureInfo.InvariantCulture);
    }
}
