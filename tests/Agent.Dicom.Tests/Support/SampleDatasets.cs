using Agent.Dicom.IO;

namespace Agent.Dicom.Tests.Support;

/// <summary>Small datasets covering every kind of value the writer handles.</summary>
public static class SampleDatasets
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    public static DicomDataset Ct(int rows = 4, int columns = 4, string sopInstanceUid = "1.2.3.4.5")
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomTag(0x00080016), DicomVR.UI, CtImageStorage);
        ds.AddOrUpdate(new DicomTag(0x00080018), DicomVR.UI, sopInstanceUid);
        ds.AddOrUpdate(new DicomTag(0x00080060), DicomVR.CS, "CT");
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Doe^John");
        ds.AddOrUpdate(new DicomTag(0x00200032), DicomVR.DS, "-125", "-125", "10.5");
        ds.AddOrUpdate(new DicomTag(0x00280010), DicomVR.US, (ushort)rows);
        ds.AddOrUpdate(new DicomTag(0x00280011), DicomVR.US, (ushort)columns);
        ds.AddOrUpdate(new DicomTag(0x00280100), DicomVR.US, (ushort)16);
        ds.AddOrUpdate(new DicomTag(0x00281052), DicomVR.DS, "-1024");
        ds.AddOrUpdate(new DicomTag(0x00209165), DicomVR.AT, 0x00200032u);
        ds.AddOrUpdate(new DicomTag(0x00189087), DicomVR.FD, 1000.5);
        var item = new DicomDataset();
        item.AddOrUpdate(new DicomTag(0x00081150), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
        item.AddOrUpdate(new DicomTag(0x00081155), DicomVR.UI, "1.2.3.4.6");
        var nested = new DicomDataset().AddOrUpdate(new DicomTag(0x00080100), DicomVR.SH, "T-D1100");
        item.AddOrUpdate(new DicomTag(0x00081250), nested);
        ds.AddOrUpdate(new DicomTag(0x00081140), item, new DicomDataset());
        var pixels = new short[rows * columns];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (short)(i * 37 - 500);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels);
        return ds;
    }

    /// <summary>True when both trees have the same tags, VRs (unless <paramref name="ignoreVR"/>) and value bytes.</summary>
    public static void AssertSame(DicomDataset expected, DicomDataset actual, bool ignoreVR = false, string path = "")
    {
        var e = expected.Where(i => !i.Tag.IsGroupLength).ToList();
        var a = actual.Where(i => !i.Tag.IsGroupLength).ToList();
        Assert.True(e.Select(i => i.Tag).SequenceEqual(a.Select(i => i.Tag)),
            $"{path}: tags differ: expected [{string.Join(",", e.Select(i => i.Tag))}] got [{string.Join(",", a.Select(i => i.Tag))}]");
        for (int i = 0; i < e.Count; i++)
        {
            var x = e[i];
            var y = a[i];
            var where = $"{path}{x.Tag}";
            switch (x)
            {
                case DicomElement xe:
                    var ye = Assert.IsType<DicomElement>(y);
                    if (!ignoreVR) Assert.True(xe.VR == ye.VR, $"{where}: VR {xe.VR} became {ye.VR}");
                    AssertSameValue(xe.Buffer.Span, ye.Buffer.Span, where);
                    break;
                case DicomSequence xs:
                    var ys = Assert.IsType<DicomSequence>(y);
                    Assert.True(xs.Items.Count == ys.Items.Count, $"{where}: {xs.Items.Count} items became {ys.Items.Count}");
                    for (int k = 0; k < xs.Items.Count; k++) AssertSame(xs.Items[k], ys.Items[k], ignoreVR, $"{where}[{k}]/");
                    break;
                case DicomFragmentSequence xf:
                    var yf = Assert.IsType<DicomFragmentSequence>(y);
                    Assert.Equal(xf.OffsetTable, yf.OffsetTable);
                    Assert.True(xf.Fragments.Count == yf.Fragments.Count, $"{where}: fragment count differs");
                    for (int k = 0; k < xf.Fragments.Count; k++) AssertSameValue(xf.Fragments[k].Span, yf.Fragments[k].Span, $"{where} fragment {k}");
                    break;
            }
        }
    }

    /// <summary>Same bytes, allowing the one padding byte a writer adds to an odd-length value.</summary>
    private static void AssertSameValue(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string where)
    {
        if (expected.SequenceEqual(actual)) return;
        bool padded = (expected.Length & 1) == 1 && actual.Length == expected.Length + 1 && actual[..expected.Length].SequenceEqual(expected);
        Assert.True(padded, $"{where}: value bytes differ ({expected.Length} vs {actual.Length} bytes)");
    }

    public static DicomDataset RoundTrip(DicomDataset ds, DicomTransferSyntax syntax, DicomWriterOptions? options = null)
        => DicomReader.ReadDataset(DicomWriter.Encode(ds, syntax, options), syntax);
}
