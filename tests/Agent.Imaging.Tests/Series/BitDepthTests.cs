using Agent.Dicom;
using Agent.Imaging.Series;

namespace Agent.Imaging.Tests.Series;

public sealed class BitDepthTests
{
    private static readonly DicomTag BitsStored = new(0x00280101);
    private static readonly DicomTag HighBit = new(0x00280102);
    private static readonly DicomTag PixelRepresentation = new(0x00280103);
    private static readonly DicomTag PixelData = new(0x7FE00010);

    private static float Decode(ushort raw, int bitsStored, bool signed)
    {
        var ds = TestSlices.Slice("1", new Vec3(0, 0, 0), new Vec3(1, 0, 0), new Vec3(0, 1, 0), 1, 2, 1, 1, (_, _) => 0, intercept: 0);
        ds.AddOrUpdate(BitsStored, DicomVR.US, (ushort)bitsStored);
        ds.AddOrUpdate(HighBit, DicomVR.US, (ushort)(bitsStored - 1));
        ds.AddOrUpdate(PixelRepresentation, DicomVR.US, (ushort)(signed ? 1 : 0));
        ds.AddOrUpdate(PixelData, DicomVR.OW, new[] { raw, raw });
        return SeriesVolumeBuilder.Build([ds]).Volume!.At(1, 0, 0);
    }

    [Theory]
    [InlineData(0x0FFB, 12, true, -5)]      // 12-bit two's complement
    [InlineData(0xF005, 12, true, 5)]       // bits above Bits Stored are not part of the value
    [InlineData(0xF800, 12, false, 2048)]
    [InlineData(0xFFFF, 16, true, -1)]
    [InlineData(0xFFFF, 16, false, 65535)]
    public void Stored_values_respect_bits_stored_and_sign(int raw, int bitsStored, bool signed, float expected)
        => Assert.Equal(expected, Decode((ushort)raw, bitsStored, signed));
}
