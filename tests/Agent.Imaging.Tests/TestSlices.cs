using System.Globalization;
using Agent.Dicom;

namespace Agent.Imaging.Tests;

/// <summary>Builds small in-memory CT slices with chosen geometry; pixel value = f(i, j) so order and shifts are visible.</summary>
internal static class TestSlices
{
    private static readonly DicomTag SopInstanceUid = new(0x00080018);
    private static readonly DicomTag InstanceNumber = new(0x00200013);
    private static readonly DicomTag Ipp = new(0x00200032);
    private static readonly DicomTag Iop = new(0x00200037);
    private static readonly DicomTag FrameOfReferenceUid = new(0x00200052);
    private static readonly DicomTag Rows = new(0x00280010);
    private static readonly DicomTag Columns = new(0x00280011);
    private static readonly DicomTag PixelSpacing = new(0x00280030);
    private static readonly DicomTag SamplesPerPixel = new(0x00280002);
    private static readonly DicomTag BitsAllocated = new(0x00280100);
    private static readonly DicomTag BitsStored = new(0x00280101);
    private static readonly DicomTag HighBit = new(0x00280102);
    private static readonly DicomTag PixelRepresentation = new(0x00280103);
    private static readonly DicomTag RescaleIntercept = new(0x00281052);
    private static readonly DicomTag RescaleSlope = new(0x00281053);
    private static readonly DicomTag PixelData = new(0x7FE00010);

    public static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    public static DicomDataset Slice(string sop, Vec3 position, Vec3 row, Vec3 col, int rows, int cols, double rowSpacing, double colSpacing,
        Func<int, int, short> pixel, double slope = 1, double intercept = -1024, string frameOfReference = "1.2.3.4", int instanceNumber = 1)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(SopInstanceUid, DicomVR.UI, sop);
        ds.AddOrUpdate(InstanceNumber, DicomVR.IS, instanceNumber.ToString(CultureInfo.InvariantCulture));
        ds.AddOrUpdate(Ipp, DicomVR.DS, F(position.X), F(position.Y), F(position.Z));
        ds.AddOrUpdate(Iop, DicomVR.DS, F(row.X), F(row.Y), F(row.Z), F(col.X), F(col.Y), F(col.Z));
        ds.AddOrUpdate(FrameOfReferenceUid, DicomVR.UI, frameOfReference);
        ds.AddOrUpdate(SamplesPerPixel, DicomVR.US, (ushort)1);
        ds.AddOrUpdate(Rows, DicomVR.US, (ushort)rows);
        ds.AddOrUpdate(Columns, DicomVR.US, (ushort)cols);
        ds.AddOrUpdate(PixelSpacing, DicomVR.DS, F(rowSpacing), F(colSpacing));
        ds.AddOrUpdate(BitsAllocated, DicomVR.US, (ushort)16);
        ds.AddOrUpdate(BitsStored, DicomVR.US, (ushort)16);
        ds.AddOrUpdate(HighBit, DicomVR.US, (ushort)15);
        ds.AddOrUpdate(PixelRepresentation, DicomVR.US, (ushort)1);
        ds.AddOrUpdate(RescaleIntercept, DicomVR.DS, F(intercept));
        ds.AddOrUpdate(RescaleSlope, DicomVR.DS, F(slope));
        var pixels = new short[rows * cols];
        for (int j = 0; j < rows; j++) for (int i = 0; i < cols; i++) pixels[i + cols * j] = pixel(i, j);
        ds.AddOrUpdate(PixelData, DicomVR.OW, pixels);
        return ds;
    }

    /// <summary>An axial stack (HFS orientation) at the given z positions, each slice filled with 1000 + 10*index.</summary>
    public static List<DicomDataset> AxialStack(IReadOnlyList<double> zs, int size = 8, double spacing = 0.5)
    {
        var list = new List<DicomDataset>();
        for (int k = 0; k < zs.Count; k++)
        {
            var value = (short)(1000 + 10 * k);
            list.Add(Slice($"1.2.3.{k + 1}", new Vec3(-10, -20, zs[k]), new Vec3(1, 0, 0), new Vec3(0, 1, 0), size, size, spacing, spacing,
                (_, _) => value, instanceNumber: zs.Count - k));
        }
        return list;
    }
}
