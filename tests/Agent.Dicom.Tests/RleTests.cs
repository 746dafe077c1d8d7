using Agent.Dicom;
using Agent.Dicom.Pixels;

namespace Agent.Dicom.Tests;

public class RleTests
{
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 7, 5, 1, 8 }, { 16, 16, 1, 16 }, { 3, 300, 3, 8 }, { 9, 4, 1, 32 }, { 1, 1, 3, 16 }, { 2, 129, 1, 8 },
    };

    private static byte[] Pattern(int length, int seed)
    {
        // Runs, literals and long constant stretches, the cases PackBits treats differently.
        var random = new Random(seed);
        var bytes = new byte[length];
        for (int i = 0; i < length;)
        {
            int run = random.Next(1, 300);
            byte value = (byte)random.Next(256);
            bool literal = random.Next(3) == 0;
            for (int k = 0; k < run && i < length; k++, i++) bytes[i] = literal ? (byte)random.Next(256) : value;
        }
        return bytes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Encoding_then_decoding_gives_back_the_same_bytes(int rows, int columns, int samples, int bits)
    {
        var frame = Pattern(rows * columns * samples * bits / 8, rows * 1000 + columns);
        var encoded = RleCodec.EncodeFrame(frame, rows, columns, samples, bits);
        Assert.Equal(0, encoded.Length % 2);
        Assert.Equal(frame, RleCodec.DecodeFrame(encoded, rows, columns, samples, bits));
    }

    [Fact]
    public void Colour_by_plane_input_decodes_to_pixel_interleaved_output()
    {
        byte[] planar = [1, 2, 10, 20, 100, 200];
        var encoded = RleCodec.EncodeFrame(planar, 1, 2, 3, 8, planar: true);
        Assert.Equal(new byte[] { 1, 10, 100, 2, 20, 200 }, RleCodec.DecodeFrame(encoded, 1, 2, 3, 8));
    }

    [Fact]
    public void Header_lists_one_segment_per_byte_plane_most_significant_first()
    {
        var encoded = RleCodec.EncodeFrame(new byte[] { 0x34, 0x12 }, 1, 1, 1, 16);
        Assert.Equal(2u, BitConverter.ToUInt32(encoded, 0));
        Assert.Equal(64u, BitConverter.ToUInt32(encoded, 4));
        Assert.Equal(0x12, encoded[65]); // first segment is the high byte: literal header 0x00 then 0x12
    }

    [Fact]
    public void A_dataset_round_trips_through_rle_and_back_to_native()
    {
        var ds = new DicomDataset();
        var frames = Enumerable.Range(0, 3).Select(f => Enumerable.Range(0, 64).Select(i => (short)((i * 37 + f * 1000) % 4096 - 2048)).ToArray()).ToArray();
        DicomPixelData.SetFrames(ds, 8, 8, frames, bitsStored: 12);
        var rle = DicomPixelData.EncodeRle(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.IsType<DicomFragmentSequence>(rle.GetItem(DicomTags.PixelData));
        var px = DicomPixelData.Create(rle, DicomTransferSyntax.RLELossless);
        for (int f = 0; f < 3; f++) Assert.Equal(frames[f].Select(v => (int)v), px.ReadFrameAsInt32(f));
        var native = DicomPixelData.DecodeToNative(rle, DicomTransferSyntax.RLELossless);
        Assert.Equal(((DicomElement)ds.GetItem(DicomTags.PixelData)!).Buffer.Span.ToArray(),
            ((DicomElement)native.GetItem(DicomTags.PixelData)!).Buffer.Span.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void Truncated_frames_are_format_errors(byte[] encoded)
        => Assert.Throws<DicomFormatException>(() => RleCodec.DecodeFrame(encoded, 4, 4, 1, 8));

    [Fact]
    public void Segment_offsets_outside_the_frame_or_out_of_order_are_rejected()
    {
        var good = RleCodec.EncodeFrame(new byte[32], 4, 4, 1, 16);
        var beyond = (byte[])good.Clone();
        BitConverter.GetBytes(100_000u).CopyTo(beyond, 8);
        Assert.Throws<DicomFormatException>(() => RleCodec.DecodeFrame(beyond, 4, 4, 1, 16));
        var backwards = (byte[])good.Clone();
        BitConverter.GetBytes(64u).CopyTo(backwards, 4);
        BitConverter.GetBytes(63u).CopyTo(backwards, 8);
        Assert.Throws<DicomFormatException>(() => RleCodec.DecodeFrame(backwards, 4, 4, 1, 16));
        var wrongCount = (byte[])good.Clone();
        wrongCount[0] = 15;
        Assert.Throws<DicomFormatException>(() => RleCodec.DecodeFrame(wrongCount, 4, 4, 1, 16));
    }

    [Fact]
    public void Thousands_of_mutated_frames_decode_or_fail_with_the_format_exception_only()
    {
        var random = new Random(20261127);
        var frame = Pattern(3 * 20 * 20 * 2, 7);
        var good = RleCodec.EncodeFrame(frame, 20, 20, 3, 16);
        int decoded = 0, rejected = 0;
        for (int i = 0; i < 5000; i++)
        {
            var mutated = (byte[])good.Clone();
            for (int m = random.Next(1, 8); m > 0; m--) mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            if (random.Next(4) == 0) Array.Resize(ref mutated, random.Next(mutated.Length));
            try
            {
                Assert.Equal(2400, RleCodec.DecodeFrame(mutated, 20, 20, 3, 16).Length);
                decoded++;
            }
            catch (DicomFormatException) { rejected++; }
        }
        Assert.True(decoded > 0 && rejected > 0, $"decoded {decoded}, rejected {rejected}");
    }
}
