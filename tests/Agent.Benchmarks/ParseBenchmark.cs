using System.Diagnostics;
using System.Globalization;
using Agent.Dicom;
using Agent.Dicom.IO;

namespace Agent.Benchmarks;

/// <summary>
/// `parse [FOLDER]`: metadata parse (stop before Pixel Data) of a CT series, ours vs pydicom's
/// dcmread(stop_before_pixels=True) on the same files in the same run. Without FOLDER, 500 CT slices of 512x512
/// 16-bit are synthesised with our writer into a temporary folder (removed afterwards).
/// </summary>
public static class ParseBenchmark
{
    private const int Rounds = 5;

    [BenchmarkCommand("parse", "[FOLDER]")]
    public static int Run(string[] args)
    {
        string? folder = args.Length > 0 ? args[0] : null;
        string? temp = null;
        if (folder is null)
        {
            temp = Directory.CreateTempSubdirectory("agent-parse-bench-").FullName;
            folder = temp;
            Console.WriteLine($"writing 500 CT slices (512x512, 16-bit) to {folder} ...");
            SyntheticSeries.Write(folder, 500);
        }
        try
        {
            var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
            Console.WriteLine($"{files.Length} files, {files.Sum(f => new FileInfo(f).Length) / 1e6:F1} MB");
            var options = new DicomReaderOptions { StopAt = DicomTags.PixelData };

            // Warm the page cache, and run long enough for tiered JIT to reach optimised code (as in a running agent).
            int elements = 0;
            foreach (var f in files) elements += DicomFile.Open(f, options).Dataset.Count;
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed < TimeSpan.FromSeconds(2))
                foreach (var f in files.Take(50)) DicomFile.Open(f, options);
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            foreach (var f in files) DicomFile.Open(f, options);
            double allocatedPerFile = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)files.Length;
            var ours = new List<double>();
            for (int r = 0; r < Rounds; r++)
            {
                var watch = Stopwatch.StartNew();
                foreach (var f in files) DicomFile.Open(f, options);
                ours.Add(watch.Elapsed.TotalSeconds);
            }
            // The same parse from bytes already in memory: the parser's own cost, without opening files.
            var heads = files.Select(f => File.ReadAllBytes(f).AsMemory()).ToArray();
            var inMemory = new List<double>();
            for (int r = 0; r < Rounds; r++)
            {
                var watch = Stopwatch.StartNew();
                foreach (var h in heads) DicomFile.Read(h, options);
                inMemory.Add(watch.Elapsed.TotalSeconds);
            }
            var pydicom = RunPydicom(files);
            double bestOurs = ours.Min();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ours    (DicomFile.Open, StopAt PixelData): best {bestOurs * 1000:F1} ms of {Rounds} rounds, {bestOurs / files.Length * 1e6:F1} us/file, {elements / files.Length} top-level elements/file, {allocatedPerFile / 1024:F1} KiB allocated/file"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ours    (DicomFile.Read from memory, no file I/O): best {inMemory.Min() * 1000:F1} ms, {inMemory.Min() / files.Length * 1e6:F1} us/file"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pydicom (dcmread, stop_before_pixels=True): best {pydicom * 1000:F1} ms of {Rounds} rounds, {pydicom / files.Length * 1e6:F1} us/file"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio pydicom/ours: {pydicom / bestOurs:F1}x"));
            return 0;
        }
        finally
        {
            if (temp is not null) Directory.Delete(temp, recursive: true);
        }
    }

    private const string PydicomScript = """
import sys, time, pydicom
files = sys.stdin.read().split('\n')
files = [f for f in files if f]
for f in files:
    pydicom.dcmread(f, stop_before_pixels=True)
best = None
for _ in range(int(sys.argv[1])):
    t = time.perf_counter()
    for f in files:
        ds = pydicom.dcmread(f, stop_before_pixels=True)
        len(ds)
    e = time.perf_counter() - t
    best = e if best is None or e < best else best
print(best)
""";

    private static double RunPydicom(string[] files)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(PydicomScript);
        psi.ArgumentList.Add(Rounds.ToString(CultureInfo.InvariantCulture));
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
        p.StandardInput.Write(string.Join('\n', files));
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("pydicom run failed");
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
