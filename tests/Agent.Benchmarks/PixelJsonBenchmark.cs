using System.Diagnostics;
using System.Globalization;
using Agent.Dicom;
using Agent.Dicom.Json;
using Agent.Dicom.Pixels;

namespace Agent.Benchmarks;

/// <summary>
/// `pixels`: real values (Modality LUT applied) of every frame of a 40-frame 512x512 16-bit RLE Lossless file that
/// we write, ours (RLE decode + rescale) vs pydicom (pixel_array + apply_modality_lut) on the same file in the same run.
/// `json`: DICOM JSON of every pydicom corpus file both toolkits read, ours (DicomJsonWriter) vs pydicom's
/// to_json_dict, datasets already in memory on both sides.
/// </summary>
public static class PixelJsonBenchmark
{
    private const int Rounds = 5;
    private const string Corpus = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    [BenchmarkCommand("pixels")]
    public static int RunPixels()
    {
        var folder = Directory.CreateTempSubdirectory("agent-pixel-bench-").FullName;
        try
        {
            var path = Path.Combine(folder, "rle.dcm");
            WriteRleFile(path, frames: 40);
            Console.WriteLine($"RLE file of 40 frames 512x512 16-bit: {new FileInfo(path).Length / 1e6:F1} MB");
            var times = new List<double>();
            for (int r = 0; r <= Rounds; r++)
            {
                var watch = Stopwatch.StartNew();
                var file = DicomFile.Open(path);
                var px = DicomPixelData.Create(file.Dataset, file.TransferSyntax);
                for (int f = 0; f < px.NumberOfFrames; f++) px.ReadFrameAsRealValues(f);
                if (r > 0) times.Add(watch.Elapsed.TotalSeconds); // round 0 warms the JIT and page cache
            }
            var pydicom = RunPython(PixelScript, path);
            Report("ours    (Open + RLE decode + rescale)", times.Min(), "pydicom (dcmread + pixel_array + apply_modality_lut)", pydicom);
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [BenchmarkCommand("json")]
    public static int RunJson()
    {
        var files = Directory.GetFiles(Corpus, "*.dcm").Order(StringComparer.Ordinal).ToArray();
        var datasets = new List<DicomDataset>();
        foreach (var f in files)
        {
            try { datasets.Add(DicomFile.Open(f).Dataset); } catch (DicomFormatException) { }
        }
        var options = new DicomJsonOptions { BulkDataUriHandler = _ => "bulk", BulkDataThreshold = 0 };
        var times = new List<double>();
        for (int r = 0; r <= Rounds; r++)
        {
            var watch = Stopwatch.StartNew();
            for (int k = 0; k < 10; k++) foreach (var ds in datasets) DicomJsonWriter.WriteToString(ds, options);
            if (r > 0) times.Add(watch.Elapsed.TotalSeconds / 10);
        }
        Console.WriteLine($"{datasets.Count} corpus datasets");
        var pydicom = RunPython(JsonScript, Corpus);
        Report("ours    (DicomJsonWriter.WriteToString)", times.Min(), "pydicom (to_json_dict)", pydicom);
        return 0;
    }

    private static void Report(string oursName, double ours, string theirsName, double theirs)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"{oursName}: best {ours * 1000:F1} ms of {Rounds} rounds"));
        Console.WriteLine(string.Create(inv, $"{theirsName}: best {theirs * 1000:F1} ms of {Rounds} rounds"));
        Console.WriteLine(string.Create(inv, $"ratio pydicom/ours: {theirs / ours:F1}x"));
    }

    private static void WriteRleFile(string path, int frames)
    {
        var random = new Random(5);
        var pixels = new short[frames][];
        for (int f = 0; f < frames; f++)
        {
            // Air outside a disc of tissue-like noise: runs and literals, as PackBits sees in CT.
            var frame = pixels[f] = new short[512 * 512];
            for (int y = 0; y < 512; y++)
                for (int x = 0; x < 512; x++)
                    frame[y * 512 + x] = (short)((x - 256) * (x - 256) + (y - 256) * (y - 256) > 200 * 200 ? 0 : 1000 + random.Next(-40, 60));
        }
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2.1")
            .AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "2.25.4242")
            .AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, "1")
            .AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, "-1024");
        DicomPixelData.SetFrames(ds, 512, 512, pixels, bitsStored: 16);
        var native = new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        DicomTranscoder.Transcode(native, DicomTransferSyntax.RLELossless).Save(path);
    }

    private const string PixelScript = """
import sys, time, pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut
path, rounds = sys.argv[1], int(sys.argv[2])
ds = pydicom.dcmread(path); apply_modality_lut(ds.pixel_array, ds)
best = None
for _ in range(rounds):
    t = time.perf_counter()
    ds = pydicom.dcmread(path)
    apply_modality_lut(ds.pixel_array, ds)
    e = time.perf_counter() - t
    best = e if best is None or e < best else best
print(best)
""";

    private const string JsonScript = """
import sys, os, time, warnings, pydicom
warnings.simplefilter("ignore")
folder, rounds = sys.argv[1], int(sys.argv[2])
datasets = []
for n in sorted(os.listdir(folder)):
    if not n.endswith(".dcm"): continue
    try:
        ds = pydicom.dcmread(os.path.join(folder, n)); ds.to_json_dict(0, lambda e: "bulk"); datasets.append(ds)
    except Exception:
        pass
best = None
for _ in range(rounds):
    t = time.perf_counter()
    for k in range(10):
        for ds in datasets: ds.to_json_dict(0, lambda e: "bulk")
    e = (time.perf_counter() - t) / 10
    best = e if best is None or e < best else best
print(best)
""";

    private static double RunPython(string script, string argument)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(argument);
        psi.ArgumentList.Add(Rounds.ToString(CultureInfo.InvariantCulture));
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start /usr/bin/python3");
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("pydicom run failed");
        return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
