using Agent.Dicom;
using Agent.Dicom.Pixels;

namespace Agent.Dicom.Tests;

public class PixelDataTests
{
    private static readonly DicomTag Rows = new(0x00280010), Columns = new(0x00280011), BitsAllocated = new(0x00280100),
        BitsStored = new(0x00280101), HighBit = new(0x00280102), PixelRepresentation = new(0x00280103),
        SamplesPerPixel = new(0x00280002), PlanarConfiguration = new(0x00280006), NumberOfFrames = new(0x00280008),
        RescaleIntercept = new(0x00281052), RescaleSlope = new(0x00281053);

    private static DicomDataset Image(int rows, int columns, int allocated, int stored, int high, int signed, byte[] pixels,
        int samples = 1, int planar = 0, int frames = 1)
    {
        var ds = new DicomDataset()
            .AddOrUpdate(SamplesPerPixel, DicomVR.US, (ushort)samples)
            .AddOrUpdate(new DicomTag(0x00280004), DicomVR.CS, samples == 3 ? "RGB" : "MONOCHROME2")
            .AddOrUpdate(Rows, DicomVR.US, (ushort)rows)
            .AddOrUpdate(Columns, DicomVR.US, (ushort)columns)
            .AddOrUpdate(BitsAllocated, DicomVR.US, (ushort)allocated)
            .AddOrUpdate(BitsStored, DicomVR.US, (ushort)stored)
            .AddOrUpdate(HighBit, DicomVR.US, (ushort)high)
            .AddOrUpdate(PixelRepresentation, DicomVR.US, (ushort)signed)
            .AddOrUpdateBytes(DicomTags.PixelData, allocated > 8 ? DicomVR.OW : DicomVR.OB, pixels);
        if (samples > 1) ds.AddOrUpdate(PlanarConfiguration, DicomVR.US, (ushort)planar);
        if (frames > 1) ds.AddOrUpdate(NumberOfFrames, DicomVR.IS, frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return ds;
    }

    private static byte[] Words(params ushort[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void Twelve_bits_stored_signed_in_sixteen_allocated_are_masked_and_sign_extended()
    {
        // High nibble holds overlay garbage that must not leak into values.
        var ds = Image(1, 4, 16, 12, 11, 1, Words(0xF7FF, 0x0800, 0xAFFB, 0x0005));
        var px = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal([2047, -2048, -5, 5], px.ReadFrameAsInt32(0));
    }

    [Fact]
    public void High_bit_above_bits_stored_shifts_the_value_down()
    {
        var ds = Image(1, 2, 16, 12, 15, 0, Words(0xABC0, 0x0010));
        Assert.Equal([0xABC, 0x001], DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian).ReadFrameAsInt32(0));
    }

    [Fact]
    public void Unsigned_sixteen_bit_values_above_short_range_stay_positive()
    {
        var ds = Image(1, 2, 16, 16, 15, 0, Words(65535, 40000));
        Assert.Equal([65535f, 40000f], DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian).ReadFrameAsFloat(0));
    }

    [Fact]
    public void One_bit_frames_are_packed_across_frame_boundaries_and_realigned_per_frame()
    {
        // Three 3x3 frames = 27 bits: frame 1 starts at bit 9, frame 2 at bit 18.
        var masks = new[]
        {
            new byte[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 },
            new byte[] { 0, 0, 1, 0, 1, 0, 1, 0, 0 },
            new byte[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 },
        };
        var ds = new DicomDataset();
        DicomPixelData.SetBinaryFrames(ds, 3, 3, masks);
        Assert.Equal(4, ((DicomElement)ds.GetItem(DicomTags.PixelData)!).Length); // 27 bits -> 4 bytes, even
        var px = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal(3, px.NumberOfFrames);
        for (int f = 0; f < 3; f++)
        {
            Assert.Equal(masks[f].Select(b => (int)b), px.ReadFrameAsInt32(f));
            var frame = px.GetFrame(f).Span;
            Assert.Equal(2, frame.Length);
            Assert.Equal(masks[f][0], frame[0] & 1);
            Assert.Equal(masks[f][8], frame[1]); // bit 8 is the frame's last pixel; the rest of the byte stays clear
        }
    }

    [Fact]
    public void Colour_by_plane_frames_are_read_pixel_interleaved()
    {
        var ds = Image(1, 2, 8, 8, 7, 0, [10, 11, 20, 21, 30, 31], samples: 3, planar: 1);
        Assert.Equal([10, 20, 30, 11, 21, 31], DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian).ReadFrameAsInt32(0));
    }

    [Fact]
    public void Frames_of_a_multi_frame_image_are_sliced_in_order()
    {
        var ds = new DicomDataset();
        DicomPixelData.SetFrames(ds, 2, 2, new[] { new short[] { 1, 2, 3, 4 }, new short[] { -1, -2, -3, -4 } }, bitsStored: 12);
        var px = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal((2, 12, 11, 1), (px.NumberOfFrames, px.BitsStored, px.HighBit, px.PixelRepresentation));
        Assert.Equal([-1, -2, -3, -4], px.ReadFrameAsInt32(1));
        Assert.Equal(8, px.GetFrame(1).Length);
    }

    [Fact]
    public void Eight_bit_rgb_frames_round_trip_through_set_frames()
    {
        var ds = new DicomDataset();
        DicomPixelData.SetFrames(ds, 1, 2, new[] { new byte[] { 1, 2, 3, 4, 5, 6 } }, samplesPerPixel: 3);
        var px = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal(("RGB", 3, 1), (px.PhotometricInterpretation, px.SamplesPerPixel, px.NumberOfFrames));
        Assert.False(ds.Contains(NumberOfFrames));
        Assert.Equal([1, 2, 3, 4, 5, 6], px.ReadFrameAsInt32(0));
    }

    [Fact]
    public void Rescale_comes_from_per_frame_groups_then_shared_groups_then_the_top_level()
    {
        static DicomDataset Transformation(string slope, string intercept) => new DicomDataset().AddOrUpdate(
            new DicomTag(0x00289145), new DicomDataset().AddOrUpdate(RescaleSlope, DicomVR.DS, slope).AddOrUpdate(RescaleIntercept, DicomVR.DS, intercept));
        var ds = new DicomDataset();
        DicomPixelData.SetFrames(ds, 1, 1, new[] { new ushort[] { 10 }, new ushort[] { 10 }, new ushort[] { 10 } });
        ds.AddOrUpdate(RescaleSlope, DicomVR.DS, "9").AddOrUpdate(RescaleIntercept, DicomVR.DS, "9");
        ds.AddOrUpdate(new DicomTag(0x52009229), Transformation("2", "-1024"));
        ds.AddOrUpdate(new DicomTag(0x52009230), Transformation("0.5", "1"), new DicomDataset(), Transformation("3", "0"));
        var px = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal([6f], px.ReadFrameAsRealValues(0));
        Assert.Equal([-1004f], px.ReadFrameAsRealValues(1));
        Assert.Equal([30f], px.ReadFrameAsRealValues(2));
        ds.Remove(new DicomTag(0x52009229));
        ds.Remove(new DicomTag(0x52009230));
        Assert.Equal((9.0, 9.0), DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian).GetRescale(1));
    }

    [Fact]
    public void Compressed_transfer_syntaxes_are_reported_as_unsupported_not_misread()
    {
        var ds = Image(1, 1, 8, 8, 7, 0, [0, 0]);
        var frags = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        frags.Fragments.Add(DicomBuffer.From(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }));
        ds.AddOrUpdate(frags);
        var px = DicomPixelData.Create(ds, DicomTransferSyntax.JPEGBaseline);
        Assert.Equal(1, px.Rows);
        var ex = Assert.Throws<DicomFormatException>(() => px.GetFrame(0));
        Assert.Contains("is not supported for pixel decoding", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_or_inconsistent_pixel_attributes_are_format_errors()
    {
        Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(new DicomDataset(), DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(Image(1, 1, 16, 17, 16, 0, [0, 0]), DicomTransferSyntax.ExplicitVRLittleEndian));
        var shortData = Image(4, 4, 16, 16, 15, 0, [0, 0]);
        Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(shortData, DicomTransferSyntax.ExplicitVRLittleEndian).GetFrame(0));
    }

    [Fact]
    public void Frames_are_located_by_the_basic_offset_table_when_fragments_outnumber_frames()
    {
        var ds = Image(1, 2, 8, 8, 7, 0, [0, 0], frames: 2);
        var frags = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        frags.Fragments.Add(DicomBuffer.From(new byte[] { 1 }));
        frags.Fragments.Add(DicomBuffer.From(new byte[] { 2 }));
        frags.Fragments.Add(DicomBuffer.From(new byte[] { 3, 4 }));
        frags.OffsetTable.AddRange([0u, 18u]);
        ds.AddOrUpdate(frags);
        var px = DicomPixelData.Create(ds, DicomTransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian);
        Assert.Equal([1, 2], px.ReadFrameAsInt32(0));
        Assert.Equal([3, 4], px.ReadFrameAsInt32(1));
    }
}

public class PixelAttributeFuzzTests
{
    private static readonly DicomTag[] Attributes =
    [
        new(0x00280002), new(0x00280006), new(0x00280008), new(0x00280010), new(0x00280011),
        new(0x00280100), new(0x00280101), new(0x00280102), new(0x00280103),
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Random_pixel_attributes_give_pixels_or_the_format_exception_never_another_error(bool rle)
    {
        var random = new Random(rle ? 11 : 7);
        int[] interesting = [0, 1, 2, 3, 4, 7, 8, 12, 15, 16, 17, 31, 32, 33, 64, 255, 4096, 65535];
        int ok = 0, rejected = 0;
        for (int i = 0; i < 3000; i++)
        {
            var ds = new DicomDataset();
            DicomPixelData.SetFrames(ds, 4, 4, new[] { new ushort[16], new ushort[16] }, bitsStored: 12);
            if (rle) ds = DicomPixelData.EncodeRle(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
            for (int m = random.Next(1, 4); m > 0; m--)
            {
                var tag = Attributes[random.Next(Attributes.Length)];
                var value = interesting[random.Next(interesting.Length)];
                if (tag == new DicomTag(0x00280008)) ds.AddOrUpdate(tag, DicomVR.IS, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                else ds.AddOrUpdate(tag, DicomVR.US, (ushort)value);
            }
            try
            {
                var px = DicomPixelData.Create(ds, rle ? DicomTransferSyntax.RLELossless : DicomTransferSyntax.ExplicitVRLittleEndian);
                for (int f = 0; f < Math.Min(px.NumberOfFrames, 3); f++) _ = px.ReadFrameAsDouble(f);
                ok++;
            }
            catch (DicomFormatException) { rejected++; }
        }
        Assert.True(ok > 0 && rejected > 0, $"ok {ok}, rejected {rejected}");
    }
}

public class PixelModalityAndFloatTests
{
    [Fact]
    public void Modality_lut_sequence_maps_stored_values_and_clamps_outside_the_table()
    {
        var ds = new DicomDataset();
        DicomPixelData.SetFrames(ds, 1, 4, new[] { new short[] { -10, -2, 0, 100 } }, bitsStored: 16);
        var lut = new DicomDataset()
            .AddOrUpdate(DicomTags.LUTDescriptor, DicomVR.SS, (short)3, (short)-2, (short)16)
            .AddOrUpdate(DicomTags.LUTData, DicomVR.US, (ushort)100, (ushort)200, (ushort)300);
        ds.AddOrUpdate(DicomTags.ModalityLUTSequence, lut);
        ds.AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, "1000");
        var px = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal([100f, 100f, 300f, 300f], px.ReadFrameAsRealValues(0));
    }

    [Fact]
    public void Float_pixel_data_of_parametric_maps_reads_as_real_numbers()
    {
        var values = new[] { 0.5f, -1.25f, float.MaxValue, 3f };
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1)
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)2)
            .AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)2)
            .AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)32)
            .AddOrUpdate(DicomTags.FloatPixelData, DicomVR.OF, values);
        var px = DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.True(px.IsFloat);
        Assert.Equal(values, px.ReadFrameAsFloat(0));
        Assert.Equal(values, px.ReadFrameAsRealValues(0));
        Assert.Throws<DicomFormatException>(() => px.ReadFrameAsInt32(0));
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)64);
        Assert.Throws<DicomFormatException>(() => DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian));
    }
}
