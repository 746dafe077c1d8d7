using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Agent.Dicom;
using Agent.Dicom.Network.Server;
using Agent.Dicom.Network.Services;
using Agent.Tests.Shared;

namespace Agent.Benchmarks;

/// <summary>
/// Receives a 500-slice 512x512 16-bit CT series sent by DCMTK storescu, once into DCMTK storescp (non-durable) and
/// once into our SCP with fsync per file, and prints both times and their ratio (target: ours within 1.5x).
/// </summary>
public static class StoreReceiveBenchmark
{
    [BenchmarkCommand("store-receive", "[SLICES]")]
    public static async Task<int> RunAsync(string[] args)
    {
        int slices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var root = Directory.CreateTempSubdirectory("agent-bench-store-").FullName;
        try
        {
            var source = Directory.CreateDirectory(Path.Combine(root, "series")).FullName;
            WriteSeries(source, slices);
            var bytes = Directory.GetFiles(source).Sum(f => new FileInfo(f).Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"series: {slices} files, {bytes / 1e6:F1} MB"));

            // Warm-up of both sides (JIT, page cache of the source files) with a short run each.
            var dcmtkTime = await TimeDcmtkAsync(source, Path.Combine(root, "dcmtk-warm"));
            var ourTime = await TimeOursAsync(source, Path.Combine(root, "ours-warm"), durable: true);
            dcmtkTime = await TimeDcmtkAsync(source, Path.Combine(root, "dcmtk"));
            ourTime = await TimeOursAsync(source, Path.Combine(root, "ours"), durable: true);
            var ourNonDurable = await TimeOursAsync(source, Path.Combine(root, "ours-nosync"), durable: false);

            using var self = Process.GetCurrentProcess();
            self.Refresh();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"DCMTK storescp (no fsync): {dcmtkTime.TotalSeconds:F2} s ({bytes / 1e6 / dcmtkTime.TotalSeconds:F0} MB/s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agent SCP (fsync per file): {ourTime.TotalSeconds:F2} s ({bytes / 1e6 / ourTime.TotalSeconds:F0} MB/s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agent SCP (no fsync, for reference): {ourNonDurable.TotalSeconds:F2} s"));
            var ratio = ourTime.TotalSeconds / dcmtkTime.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio agent/storescp: {ratio:F2} (target <= 1.5) {(ratio <= 1.5 ? "OK" : "MISSED")}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set of this process: {self.PeakWorkingSet64 / 1e6:F0} MB (includes generating the series)"));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    internal static async Task<TimeSpan> TimeDcmtkAsync(string source, string output)
    {
        Directory.CreateDirectory(output);
        var port = FreePort();
        using var scp = Start("storescp", ["-aet", "STORESCP", "--output-directory", output, "--max-pdu", "131072", port.ToString(CultureInfo.InvariantCulture)]);
        await WaitForPortAsync(port);
        var time = await TimeStorescuAsync(source, port, "STORESCP");
        scp.Kill();
        await scp.WaitForExitAsync();
        return time;
    }

    private static async Task<TimeSpan> TimeOursAsync(string source, string output, bool durable)
    {
        var store = new FileStoreProvider(output, durable);
        var server = new DicomServer(new DicomServerOptions { BindAddress = IPAddress.Loopback, Port = 0 }, new DicomServices { Store = store });
        await using (server.ConfigureAwait(false))
        {
            await server.StartAsync(CancellationToken.None);
            return await TimeStorescuAsync(source, server.Port, "AGENT");
        }
    }

    internal static async Task<TimeSpan> TimeStorescuAsync(string source, int port, string calledAe)
    {
        var sw = Stopwatch.StartNew();
        using var p = Start("storescu", ["-aec", calledAe, "-R", "--max-pdu", "131072", "+sd", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), source]);
        await p.WaitForExitAsync();
        sw.Stop();
        if (p.ExitCode != 0) throw new InvalidOperationException($"storescu failed with exit code {p.ExitCode}");
        return sw.Elapsed;
    }

    private static void WriteSeries(string folder, int slices)
    {
        const string ct = "1.2.840.10008.5.1.4.1.1.2";
        var study = "2.25.1" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var series = study + ".1";
        var pixels = new byte[512 * 512 * 2];
        new Random(1).NextBytes(pixels);
        for (int i = 0; i < slices; i++)
        {
            var uid = series + "." + (i + 1).ToString(CultureInfo.InvariantCulture);
            var ds = new DicomDataset();
            ds.AddOrUpdate(new DicomTag(0x00080016), DicomVR.UI, ct);
            ds.AddOrUpdate(new DicomTag(0x00080018), DicomVR.UI, uid);
            ds.AddOrUpdate(new DicomTag(0x00080060), DicomVR.CS, "CT");
            ds.AddOrUpdate(new DicomTag(0x00100010), DicomVR.PN, "Bench^Patient");
            ds.AddOrUpdate(new DicomTag(0x00100020), DicomVR.LO, "BENCH1");
            ds.AddOrUpdate(new DicomTag(0x0020000D), DicomVR.UI, study);
            ds.AddOrUpdate(new DicomTag(0x0020000E), DicomVR.UI, series);
            ds.AddOrUpdate(new DicomTag(0x00200013), DicomVR.IS, (i + 1).ToString(CultureInfo.InvariantCulture));
            ds.AddOrUpdate(new DicomTag(0x00280002), DicomVR.US, (ushort)1);
            ds.AddOrUpdate(new DicomTag(0x00280004), DicomVR.CS, "MONOCHROME2");
            ds.AddOrUpdate(new DicomTag(0x00280010), DicomVR.US, (ushort)512);
            ds.AddOrUpdate(new DicomTag(0x00280011), DicomVR.US, (ushort)512);
            ds.AddOrUpdate(new DicomTag(0x00280100), DicomVR.US, (ushort)16);
            ds.AddOrUpdate(new DicomTag(0x00280101), DicomVR.US, (ushort)16);
            ds.AddOrUpdate(new DicomTag(0x00280102), DicomVR.US, (ushort)15);
            ds.AddOrUpdate(new DicomTag(0x00280103), DicomVR.US, (ushort)1);
            ds.AddOrUpdateBytes(new DicomTag(0x7FE00010), DicomVR.OW, pixels);
            new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(Path.Combine(folder, $"{i:D4}.dcm"));
        }
    }

    private static Process Start(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TCP_NODELAY"] = "1";
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {exe}");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (int i = 0; i < 200; i++)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"nothing listens on port {port}");
    }
}
