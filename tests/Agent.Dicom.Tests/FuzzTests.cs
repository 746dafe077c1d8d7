using System.Diagnostics;
using Agent.Dicom.IO;
using Agent.Dicom.Tests.Support;

namespace Agent.Dicom.Tests;

/// <summary>
/// Deterministic mutation fuzzing over the corpus: only <see cref="DicomFormatException"/> may escape, every case ends
/// quickly and allocation per case stays bounded.
/// </summary>
public class FuzzTests
{
    private const int Seed = 20261127;
    private const int Cases = 10000;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(5);
    private const long AllocationAllowance = 64L << 20;

    private static readonly DicomReaderOptions Options = new() { MaxDecompressedLength = 16 << 20 };

    [Fact]
    public void Mutated_corpus_files_only_ever_raise_the_format_exception_in_bounded_time_and_memory()
    {
        var seeds = Corpus.Files
            .Where(f => !f.StartsWith("dicomdirtests/TINY_ALPHA", StringComparison.Ordinal))
            .Select(f => File.ReadAllBytes(Corpus.Path(f)))
            .Where(b => b.Length is > 0 and < 400_000)
            .ToArray();
        Assert.True(seeds.Length > 50);
        var random = new Random(Seed);
        var failures = new List<string>();
        int rejected = 0;
        var slowest = TimeSpan.Zero;
        for (int i = 0; i < Cases && failures.Count < 10; i++)
        {
            var input = seeds[random.Next(seeds.Length)];
            var (bytes, what) = Mutator.Mutate(input, random);
            if (random.Next(3) == 0) (bytes, what) = Mutator.Mutate(bytes, random) is var m ? (m.Bytes, what + ", then " + m.Description) : default;
            bool viaStream = (i & 1) == 1;
            using var cts = new CancellationTokenSource(CaseTimeout);
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            try
            {
                var file = viaStream
                    ? DicomFile.Read(new NonSeekableStream(bytes, maxChunk: 4096), Options, cts.Token)
                    : DicomFile.Read(bytes, Options, cts.Token);
                Touch(file.Dataset);
            }
            catch (DicomFormatException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                failures.Add($"case {i} ({what}, {(viaStream ? "stream" : "memory")}): {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }
            watch.Stop();
            if (watch.Elapsed > slowest) slowest = watch.Elapsed;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            long limit = AllocationAllowance + 8L * bytes.Length;
            if (allocated > limit) failures.Add($"case {i} ({what}): allocated {allocated} bytes for a {bytes.Length}-byte input");
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(rejected > Cases / 20, $"only {rejected} of {Cases} mutations were rejected: the mutator is not biting");
        Assert.True(slowest < CaseTimeout, $"slowest case took {slowest}");
    }

    [Fact]
    public void Mutated_files_opened_from_disk_with_lazy_values_only_raise_the_format_exception()
    {
        var dir = Directory.CreateTempSubdirectory("agent-fuzz-").FullName;
        try
        {
            var seeds = Corpus.Files.Where(f => f.EndsWith(".dcm", StringComparison.Ordinal))
                .Select(f => File.ReadAllBytes(Corpus.Path(f))).Where(b => b.Length < 100_000).ToArray();
            var random = new Random(Seed + 1);
            var options = new DicomReaderOptions { LargeValueThreshold = 128, MaxDecompressedLength = 16 << 20 };
            var path = Path.Combine(dir, "case.dcm");
            var failures = new List<string>();
            for (int i = 0; i < 500 && failures.Count < 10; i++)
            {
                var (bytes, what) = Mutator.Mutate(seeds[random.Next(seeds.Length)], random);
                File.WriteAllBytes(path, bytes);
                using var cts = new CancellationTokenSource(CaseTimeout);
                try
                {
                    Touch(DicomFile.Open(path, options, cts.Token).Dataset);
                }
                catch (DicomFormatException)
                {
                }
                catch (Exception ex)
                {
                    failures.Add($"case {i} ({what}): {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
                }
            }
            Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Deeply_nested_undefined_length_items_are_rejected_not_overflowing_the_stack()
    {
        var b = new DicomBytes();
        for (int i = 0; i < 100_000; i++) b.Tag(0x00291010).U32(0xFFFFFFFF).Item();
        var ex = Assert.Throws<DicomFormatException>(() => DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ImplicitVRLittleEndian));
        Assert.Contains("nested deeper", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Walks every value the way a consumer would, so lazily broken structures surface here too.</summary>
    private static void Touch(DicomDataset dataset)
    {
        foreach (var item in dataset)
        {
            switch (item)
            {
                case DicomElement e: _ = e.Buffer.Span.Length; break;
                case DicomSequence s: foreach (var child in s.Items) Touch(child); break;
                case DicomFragmentSequence f: foreach (var fragment in f.Fragments) _ = fragment.Span.Length; break;
            }
        }
    }
}
