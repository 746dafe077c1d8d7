using Agent.Dicom;
using Agent.Dicom.Pixels;

namespace Agent.Dicom.Tests;

/// <summary>Our decoded pixels against pydicom's pixel_array, and RLE files against their uncompressed twins.</summary>
public class PixelCorpusTests(PydicomCorpus corpus) : IClassFixture<PydicomCorpus>
{
    private static double[] AllFrames(DicomPixelData px)
        => Enumerable.Range(0, px.NumberOfFrames).SelectMany(px.ReadFrameAsDouble).ToArray();

    private static DicomFile Open(string name) => DicomFile.Open(Path.Combine(PydicomCorpus.CorpusFolder, name));

    [Fact]
    public void Every_image_we_can_decode_matches_pydicom_pixel_array_and_the_rest_is_reported_unsupported()
    {
        var report = new List<string>();
        int matched = 0, unsupported = 0;
        foreach (var entry in corpus.Entries.Values.Where(e => e.PydicomReads))
        {
            DicomFile file;
            try { file = DicomFile.Open(entry.Path); }
            catch (DicomFormatException) { continue; } // truncated files: covered by the JSON acceptance test
            if (!file.Dataset.Contains(DicomTags.PixelData)) continue;
            var reference = corpus.Pixels(entry.File);
            DicomPixelData px;
            try { px = DicomPixelData.Create(file.Dataset, file.TransferSyntax); }
            catch (DicomFormatException e)
            {
                // Rejecting is right only where pydicom cannot make an image either (e.g. Rows or Bits Allocated missing).
                if (reference is not null) report.Add($"{entry.File}: attributes rejected: {e.Message}");
                continue;
            }
            if (!file.TransferSyntax.CanDecodePixels && file.TransferSyntax != DicomTransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian)
            {
                var ex = Assert.Throws<DicomFormatException>(() => px.GetFrame(0));
                Assert.Contains("is not supported for pixel decoding", ex.Message, StringComparison.Ordinal);
                unsupported++;
                continue;
            }
            if (reference is null)
            {
                // Nothing to compare with: decoding must still end in pixels or our format exception, nothing else.
                try { AllFrames(px); } catch (DicomFormatException) { }
                continue;
            }
            double[] ours;
            try { ours = AllFrames(px); }
            catch (DicomFormatException e) { report.Add($"{entry.File}: {e.Message}"); continue; }
            if (ours.Length != reference.Length) { report.Add($"{entry.File}: {ours.Length} values vs pydicom {reference.Length}"); continue; }
            for (int i = 0; i < ours.Length; i++)
            {
                if (ours[i] != reference[i]) { report.Add($"{entry.File}: value {i} is {ours[i]}, pydicom {reference[i]}"); break; }
            }
            matched++;
        }
        Assert.True(report.Count == 0, string.Join('\n', report));
        Assert.True(matched >= 20 && unsupported >= 10, $"matched {matched}, unsupported {unsupported}");
    }

    [Theory]
    [InlineData("MR_small_RLE.dcm", "MR_small.dcm")]
    [InlineData("rtdose_rle.dcm", "rtdose.dcm")]
    [InlineData("rtdose_rle_1frame.dcm", "rtdose_1frame.dcm")]
    [InlineData("MR_small_RLE.dcm", "MR_small_bigendian.dcm")]
    public void Rle_files_decode_to_the_pixels_of_their_uncompressed_twins(string rle, string native)
    {
        var a = Open(rle);
        var b = Open(native);
        Assert.Equal(DicomTransferSyntax.RLELossless, a.TransferSyntax);
        var pa = DicomPixelData.Create(a.Dataset, a.TransferSyntax);
        var pb = DicomPixelData.Create(b.Dataset, b.TransferSyntax);
        Assert.Equal(pb.NumberOfFrames, pa.NumberOfFrames);
        for (int f = 0; f < pa.NumberOfFrames; f++) Assert.Equal(pb.GetFrame(f).ToArray(), pa.GetFrame(f).ToArray());
    }

    [Theory]
    [InlineData("MR_small_RLE.dcm")]
    [InlineData("SC_rgb_rle.dcm")]
    [InlineData("SC_rgb_rle_16bit_2frame.dcm")]
    [InlineData("SC_rgb_rle_32bit_2frame.dcm")]
    [InlineData("rtdose_rle.dcm")]
    public void Corpus_rle_frames_re_encoded_by_us_decode_to_the_same_pixels(string name)
    {
        var file = Open(name);
        var original = DicomPixelData.Create(file.Dataset, file.TransferSyntax);
        var native = DicomPixelData.DecodeToNative(file.Dataset, file.TransferSyntax);
        var reencoded = DicomPixelData.Create(DicomPixelData.EncodeRle(native, DicomTransferSyntax.ExplicitVRLittleEndian), DicomTransferSyntax.RLELossless);
        for (int f = 0; f < original.NumberOfFrames; f++) Assert.Equal(original.ReadFrameAsDouble(f), reencoded.ReadFrameAsDouble(f));
    }

    [Fact]
    public void The_one_frame_segmentation_reads_as_a_binary_mask()
    {
        var file = Open("liver_1frame.dcm");
        var px = DicomPixelData.Create(file.Dataset, file.TransferSyntax);
        Assert.Equal(1, px.BitsAllocated);
        var mask = px.ReadFrameAsInt32(0);
        Assert.All(mask, v => Assert.InRange(v, 0, 1));
        Assert.Contains(1, mask);
        Assert.Equal(corpus.Pixels("liver_1frame.dcm")!, mask.Select(v => (double)v));
    }

    [Theory]
    [InlineData("MR_small.dcm")]
    [InlineData("SC_rgb_rle_32bit_2frame.dcm")]
    [InlineData("rtdose.dcm")]
    [InlineData("ExplVR_BigEnd.dcm")]
    [InlineData("SC_rgb_small_odd.dcm")]
    public void Files_we_encode_as_rle_decode_in_pydicom_and_dcmtk_to_the_original_pixels(string name)
    {
        var source = Open(name);
        var expected = AllFrames(DicomPixelData.Create(source.Dataset, source.TransferSyntax));
        var folder = Directory.CreateTempSubdirectory("rle-").FullName;
        try
        {
            var rlePath = Path.Combine(folder, "rle.dcm");
            DicomTranscoder.Transcode(source, DicomTransferSyntax.RLELossless).Save(rlePath);

            // pydicom's own RLE decoder reads our fragments.
            var pixelsPath = Path.Combine(folder, "pixels.bin");
            Run("/usr/bin/python3", "-c", "import sys, pydicom; pydicom.dcmread(sys.argv[1]).pixel_array.astype('<f8').tofile(sys.argv[2])", rlePath, pixelsPath);
            var bytes = File.ReadAllBytes(pixelsPath);
            var pydicomValues = new double[bytes.Length / 8];
            Buffer.BlockCopy(bytes, 0, pydicomValues, 0, bytes.Length);
            Assert.Equal(expected, pydicomValues);

            // DCMTK decompresses our file to explicit little endian; we read the result back.
            var decodedPath = Path.Combine(folder, "native.dcm");
            Run("dcmdrle", rlePath, decodedPath);
            var decoded = DicomFile.Open(decodedPath);
            Assert.Equal(expected, AllFrames(DicomPixelData.Create(decoded.Dataset, decoded.TransferSyntax)));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Theory]
    [InlineData("MR_small.dcm", "1.2.840.10008.1.2.5")]
    [InlineData("CT_small.dcm", "1.2.840.10008.1.2.5")]
    [InlineData("MR_small_RLE.dcm", "1.2.840.10008.1.2.1")]
    [InlineData("SC_rgb_rle_16bit_2frame.dcm", "1.2.840.10008.1.2.1")]
    public void Transcoded_files_pass_dciodvfy_with_no_new_errors(string name, string targetSyntax)
    {
        var folder = Directory.CreateTempSubdirectory("dciodvfy-").FullName;
        try
        {
            var output = Path.Combine(folder, "out.dcm");
            DicomTranscoder.Transcode(Open(name), DicomTransferSyntax.Lookup(targetSyntax)).Save(output);
            var before = Errors(Path.Combine(PydicomCorpus.CorpusFolder, name));
            var after = Errors(output);
            Assert.Empty(after.Except(before));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static HashSet<string> Errors(string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dciodvfy", [path])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var text = process.StandardError.ReadToEnd() + stdout.Result;
        process.WaitForExit();
        return text.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, arguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} failed ({process.ExitCode}): {stderr.Result}");
    }
}
