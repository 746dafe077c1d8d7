using System.Diagnostics;
using System.Globalization;
using Agent.Dicom;
using Agent.Imaging;
using Agent.Imaging.Series;
using Agent.Results.Coding;
using Agent.Results.Common;
using Agent.Results.Segmentation;

namespace Agent.Benchmarks;

/// <summary>
/// `seg-encode`: DICOM-SEG encode time (writer + Part 10 bytes in memory) for 4 ellipsoid segments over a 512x512xN
/// CT grid (default 480 slices; target under 1 s), against numpy's packbits of the same number of frames in the same
/// run (the bit-packing floor a Python writer such as highdicom pays before any DICOM encoding).
/// </summary>
public static class SegEncodeBenchmark
{
    private const int Rounds = 3;

    [BenchmarkCommand("seg-encode", "[SLICES]")]
    public static int Run(string[] args)
    {
        int slices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 480;
        var g = new ImageGeometry((512, 512, slices), (0.78, 0.78, 1.0), (-200, -200, -300), ImageGeometry.IdentityDirection);
        var labels = new LabelVolume(g);
        (double X, double Y, double Z, double R)[] organs = [(180, 250, 0.5, 110), (360, 230, 0.45, 60), (330, 330, 0.6, 45), (170, 340, 0.6, 45)];
        Parallel.For(0, slices, k =>
        {
            for (int j = 0; j < 512; j++)
                for (int i = 0; i < 512; i++)
                    for (int o = 0; o < organs.Length; o++)
                    {
                        var (x, y, z, r) = organs[o];
                        double dx = (i - x) / r, dy = (j - y) / r, dz = (k - z * slices) / (slices * 0.3);
                        if (dx * dx + dy * dy + dz * dz < 1) { labels.At(i, j, k) = (byte)(o + 1); break; }
                    }
        });
        var study = DicomUidGenerator.Create();
        var series = DicomUidGenerator.Create();
        var instances = new List<DicomDataset>();
        var sources = new List<SliceSource?>();
        for (int k = 0; k < slices; k++)
        {
            var ds = new DicomDataset();
            var uid = DicomUidGenerator.Create();
            ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomUids.CTImageStorage.Uid);
            ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, uid);
            ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study);
            ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series);
            instances.Add(ds);
            sources.Add(new SliceSource(uid, 1, Vec3.From(g.IndexToPatient(0, 0, k))));
        }
        var source = new SegmentationSource(g, sources, instances, DicomUidGenerator.Create());
        var cat = new Code("SCT", "91723000", "Anatomical Structure");
        SegmentDefinition[] segments =
        [
            new(1, "liver", cat, new("SCT", "10200004", "Liver"), [221, 130, 101]),
            new(2, "spleen", cat, new("SCT", "78961009", "Spleen"), [157, 108, 162]),
            new(3, "kidney_left", cat, new("SCT", "64033007", "Kidney"), [185, 102, 83]),
            new(4, "kidney_right", cat, new("SCT", "64033007", "Kidney"), [212, 126, 151]),
        ];
        var options = new SegmentationOptions { Algorithm = new AlgorithmIdentity("bench", "1") };

        Encode(labels, source, segments, options); // JIT warm-up
        var times = new List<double>();
        int frames = 0;
        long bytes = 0;
        for (int r = 0; r < Rounds; r++)
        {
            var watch = Stopwatch.StartNew();
            (frames, bytes) = Encode(labels, source, segments, options);
            times.Add(watch.Elapsed.TotalSeconds);
        }
        double ours = times.Min();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ours: {frames} frames, {bytes / 1e6:F1} MB Part 10, best of {Rounds}: {ours:F3} s (target < 1 s: {(ours < 1 ? "met" : "NOT met")}), {Environment.ProcessorCount} cores"));

        var reference = NumpyPackbits(frames);
        if (reference is { } seconds)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"numpy packbits of {frames} 512x512 frames: {seconds:F3} s; ours/numpy = {ours / seconds:F2}"));
        return ours < 1 ? 0 : 1;
    }

    private static (int Frames, long Bytes) Encode(LabelVolume labels, SegmentationSource source, SegmentDefinition[] segments, SegmentationOptions options)
    {
        var file = SegmentationWriter.Write(labels, source, segments, options);
        using var stream = new MemoryStream();
        file.Save(stream);
        return (file.Dataset.GetNumber<int>(DicomTags.NumberOfFrames) ?? 0, stream.Length);
    }

    private static double? NumpyPackbits(int frames)
    {
        const string script = """
            import sys, time, numpy as np
            f = int(sys.argv[1]); labels = np.random.randint(0, 5, size=(f, 512, 512), dtype=np.uint8)
            best = 1e9
            for _ in range(3):
                t = time.perf_counter(); np.packbits(labels == 1, bitorder='little'); best = min(best, time.perf_counter() - t)
            print(best)
            """;
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(frames.ToString(CultureInfo.InvariantCulture));
        try
        {
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 && double.TryParse(output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
