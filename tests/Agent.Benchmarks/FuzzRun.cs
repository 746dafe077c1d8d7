using System.Diagnostics;
using System.Globalization;
using Agent.Dicom;
using Agent.Dicom.IO;
using Agent.Dicom.Tests.Support;

namespace Agent.Benchmarks;

/// <summary>
/// Long mutation-fuzzing runs of the DICOM reader, outside CI (CI runs a fixed 10,000-case slice in FuzzTests):
///   fuzz [MINUTES=10] [SEED=random] [CORPUS=pydicom test files]  - mutate corpus files until time is up, parsing
///        alternately from memory and from a non-seekable stream; any exception
///        other than DicomFormatException, any case over 5 s and any case allocating over 64 MiB + 8x its size is saved
///        to ./fuzz-findings/ and counted; the exit code is the number of findings (capped at 100).
///   fuzz-one FILE                                                - parse one input (e.g. a finding) and print the outcome.
/// </summary>
public static class FuzzRun
{
    private const string DefaultCorpus = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
    private static readonly DicomReaderOptions Options = new() { MaxDecompressedLength = 16 << 20 };

    [BenchmarkCommand("fuzz", "[MINUTES] [SEED] [CORPUS]")]
    public static int Run(string[] args)
    {
        double minutes = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        int seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Random.Shared.Next();
        string corpus = args.Length > 2 ? args[2] : DefaultCorpus;
        var seeds = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories)
            .Select(File.ReadAllBytes).Where(b => b.Length is > 0 and < 1_000_000).ToArray();
        Console.WriteLine($"fuzzing {seeds.Length} seed files for {minutes} min, seed {seed}");
        var random = new Random(seed);
        var findings = Path.Combine(Environment.CurrentDirectory, "fuzz-findings");
        var deadline = Stopwatch.StartNew();
        long cases = 0, rejected = 0;
        int found = 0;
        while (deadline.Elapsed.TotalMinutes < minutes && found < 100)
        {
            var (bytes, what) = Mutator.Mutate(seeds[random.Next(seeds.Length)], random);
            for (int extra = random.Next(4); extra > 0; extra--) (bytes, what) = (Mutator.Mutate(bytes, random) is var m ? m.Bytes : bytes, what + " +");
            cases++;
            var problem = Parse(bytes, viaStream: (cases & 1) == 1, out bool wasRejected);
            if (wasRejected) rejected++;
            if (problem is null) continue;
            found++;
            Directory.CreateDirectory(findings);
            var file = Path.Combine(findings, string.Create(CultureInfo.InvariantCulture, $"case-{seed}-{cases}.dcm"));
            File.WriteAllBytes(file, bytes);
            Console.WriteLine($"FINDING {file} ({what}): {problem}");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{cases} cases in {deadline.Elapsed.TotalSeconds:F0} s ({cases / deadline.Elapsed.TotalSeconds:F0}/s), {rejected} rejected cleanly, {found} findings"));
        return found;
    }

    [BenchmarkCommand("fuzz-one", "FILE")]
    public static int RunOne(string[] args)
    {
        var bytes = File.ReadAllBytes(args[0]);
        var problem = Parse(bytes, viaStream: false, out bool rejected) ?? Parse(bytes, viaStream: true, out rejected);
        Console.WriteLine(problem ?? (rejected ? "rejected with DicomFormatException" : "parsed"));
        return problem is null ? 0 : 1;
    }

    private static string? Parse(byte[] bytes, bool viaStream, out bool rejected)
    {
        rejected = false;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            if (viaStream) DicomFile.Read(new NonSeekableStream(bytes, maxChunk: 1000), Options, cts.Token);
            else DicomFile.Read(bytes, Options, cts.Token);
        }
        catch (DicomFormatException)
        {
            rejected = true;
        }
        catch (OperationCanceledException)
        {
            return "took longer than 5 s";
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return allocated > (64L << 20) + 8L * bytes.Length ? $"allocated {allocated} bytes" : null;
    }
}
