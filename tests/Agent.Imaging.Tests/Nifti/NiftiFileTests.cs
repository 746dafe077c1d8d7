using System.Globalization;
using System.Text.Json;
using Agent.Imaging.Nifti;

namespace Agent.Imaging.Tests.Nifti;

public sealed class NiftiFileTests
{
    // An oblique, left-handed-in-RAS geometry (typical of DICOM axial: LPS identity is a reflection in RAS).
    private static ImageGeometry Oblique()
    {
        double c = Math.Cos(0.3), s = Math.Sin(0.3);
        return new ImageGeometry((5, 4, 3), (0.7, 0.8, 2.5), (12.5, -40.25, 101),
            [c, -s, 0, s, c, 0, 0, 0, 1]);
    }

    private static Volume Ramp(ImageGeometry g)
    {
        var v = new Volume(g);
        for (int i = 0; i < v.Voxels.Length; i++) v.Voxels[i] = i * 3 - 100;
        return v;
    }

    /// <summary>The RAS affine our geometry should have: LPS with x and y negated.</summary>
    private static double[,] ExpectedRasAffine(ImageGeometry g)
    {
        var a = new double[3, 4];
        double[] sp = [g.Spacing.X, g.Spacing.Y, g.Spacing.Z];
        double[] o = [g.Origin.X, g.Origin.Y, g.Origin.Z];
        for (int r = 0; r < 3; r++)
        {
            double sign = r < 2 ? -1 : 1;
            for (int c = 0; c < 3; c++) a[r, c] = sign * g.Direction[r * 3 + c] * sp[c];
            a[r, 3] = sign * o[r];
        }
        return a;
    }

    [Theory]
    [InlineData("img.nii", NiftiDataType.Float32)]
    [InlineData("img.nii.gz", NiftiDataType.Int16)]
    [InlineData("img.nii.gz", NiftiDataType.Int32)]
    [InlineData("img.nii", NiftiDataType.Float64)]
    public void A_written_file_reads_back_with_the_same_geometry_and_values(string name, NiftiDataType type)
    {
        using var tmp = new TempFolder();
        var v = Ramp(Oblique());
        NiftiFile.Write(tmp.File(name), v, type);

        var back = NiftiFile.Read(tmp.File(name));

        Assert.Equal(NiftiTransformSource.SForm, back.TransformSource);
        Assert.Equal(v.Geometry.Size, back.Geometry.Size);
        AssertClose(v.Geometry, back.Geometry);
        Assert.Equal(v.Voxels, back.Values);
    }

    [Fact]
    public void Labels_round_trip_as_uint8()
    {
        using var tmp = new TempFolder();
        var l = new LabelVolume(Oblique());
        l.At(1, 2, 1) = 3;
        l.At(4, 3, 2) = 255;
        NiftiFile.Write(tmp.File("l.nii.gz"), l);

        var back = NiftiFile.Read(tmp.File("l.nii.gz"));

        Assert.Equal(NiftiDataType.UInt8, back.DataType);
        Assert.Equal(l.Labels, back.ToLabels().Labels);
    }

    [Fact]
    public async Task Nibabel_reads_our_file_with_the_same_affine_and_data()
    {
        using var tmp = new TempFolder();
        var v = Ramp(Oblique());
        NiftiFile.Write(tmp.File("ours.nii.gz"), v, NiftiDataType.Int16);

        var json = await Python.RunAsync("""
            import sys, json, nibabel as nib, numpy as np
            img = nib.load(sys.argv[1])
            q = img.get_qform(); s = img.get_sform()
            d = np.asarray(img.dataobj, dtype=np.float64)
            print(json.dumps({"q": q.tolist(), "s": s.tolist(), "shape": list(d.shape),
                              "v": [d[1,2,1], d[4,3,2], d[0,0,0]], "sum": float(d.sum())}))
            """, tmp.File("ours.nii.gz"));

        using var doc = JsonDocument.Parse(json);
        var expected = ExpectedRasAffine(v.Geometry);
        foreach (var form in new[] { "q", "s" })
        {
            var m = doc.RootElement.GetProperty(form);
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 4; c++)
                    Assert.Equal(expected[r, c], m[r][c].GetDouble(), 4);
        }
        Assert.Equal([5, 4, 3], doc.RootElement.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        var values = doc.RootElement.GetProperty("v").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(v.At(1, 2, 1), values[0]);
        Assert.Equal(v.At(4, 3, 2), values[1]);
        Assert.Equal(v.At(0, 0, 0), values[2]);
        Assert.Equal(v.Voxels.Sum(x => (double)x), doc.RootElement.GetProperty("sum").GetDouble(), 3);
    }

    [Theory]
    [InlineData("sform", NiftiTransformSource.SForm)]
    [InlineData("qform", NiftiTransformSource.QForm)]
    [InlineData("none", NiftiTransformSource.PixDim)]
    public async Task We_read_nibabels_file_with_the_transform_it_says_it_uses(string which, NiftiTransformSource expected)
    {
        using var tmp = new TempFolder();
        var path = tmp.File("theirs.nii.gz");
        // A rotated, reflected affine; with "qform" the sform code is 0 and a decoy sform would be wrong if used.
        var json = await Python.RunAsync("""
            import sys, json, nibabel as nib, numpy as np
            which, path = sys.argv[1], sys.argv[2]
            t = 0.4
            R = np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, -1]])
            A = np.eye(4); A[:3,:3] = R @ np.diag([0.9, 1.1, 3.0]); A[:3,3] = [-20.5, 33.0, 7.25]
            data = (np.arange(4*5*6, dtype=np.float32).reshape((4,5,6), order='F') * 0.5 - 7).astype(np.float32)
            img = nib.Nifti1Image(data, None)
            if which == "sform":
                img.set_sform(A, code=2); img.set_qform(np.eye(4), code=0)
            elif which == "qform":
                img.set_qform(A, code=1); img.set_sform(np.diag([5, 5, 5, 1]), code=0)
            if which != "none":
                nib.save(img, path)
            else:
                # nibabel fills in an sform when saving, so write the header bytes ourselves with both codes 0.
                import gzip
                h = img.header.copy(); h.set_data_dtype(np.float32); h.set_data_shape(data.shape); h.set_zooms((0.9, 1.1, 3.0))
                h['qform_code'] = 0; h['sform_code'] = 0; h['vox_offset'] = 352
                with gzip.open(path, 'wb') as f:
                    f.write(h.binaryblock); f.write(b'\0' * 4); f.write(data.tobytes(order='F'))
            # nibabel's fallback is ANALYZE's centred, x-flipped affine; the NIfTI spec's "method 1" is plain pixdim scaling.
            aff = img.header.get_best_affine() if which != "none" else np.diag([0.9, 1.1, 3.0, 1.0])
            print(json.dumps({"a": aff.tolist(), "v": float(data[3,4,5]), "v2": float(data[1,2,3])}))
            """, which, path);
        using var doc = JsonDocument.Parse(json);
        var a = doc.RootElement.GetProperty("a");

        var img = NiftiFile.Read(path);

        Assert.Equal(expected, img.TransformSource);
        // Every corner maps to the same world point (after RAS -> LPS) under nibabel's affine and our geometry.
        foreach (var (i, j, k) in new[] { (0, 0, 0), (3, 0, 0), (0, 4, 0), (0, 0, 5), (3, 4, 5) })
        {
            var p = img.Geometry.IndexToPatient(i, j, k);
            double[] ras = new double[3];
            for (int r = 0; r < 3; r++) ras[r] = a[r][0].GetDouble() * i + a[r][1].GetDouble() * j + a[r][2].GetDouble() * k + a[r][3].GetDouble();
            Assert.Equal(-ras[0], p.X, 4);
            Assert.Equal(-ras[1], p.Y, 4);
            Assert.Equal(ras[2], p.Z, 4);
        }
        var g = img.Geometry;
        Assert.Equal(doc.RootElement.GetProperty("v").GetDouble(), img.Values[3 + 4 * (4 + 5 * 5)]);
        Assert.Equal(doc.RootElement.GetProperty("v2").GetDouble(), img.Values[1 + 4 * (2 + 5 * 3)]);
        Assert.Equal((4, 5, 6), g.Size);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(347)]
    public void Truncated_files_raise_InvalidDataException(int keep)
    {
        using var tmp = new TempFolder();
        NiftiFile.Write(tmp.File("a.nii"), Ramp(Oblique()));
        var bytes = File.ReadAllBytes(tmp.File("a.nii"));
        using var ms = new MemoryStream(bytes[..keep]);
        Assert.Throws<InvalidDataException>(() => NiftiFile.Read(ms, gzip: false));
    }

    [Fact]
    public void Truncated_data_raises_InvalidDataException()
    {
        using var tmp = new TempFolder();
        NiftiFile.Write(tmp.File("a.nii"), Ramp(Oblique()));
        var bytes = File.ReadAllBytes(tmp.File("a.nii"));
        using var ms = new MemoryStream(bytes[..^10]);
        Assert.Throws<InvalidDataException>(() => NiftiFile.Read(ms, gzip: false));
    }

    [Fact]
    public void A_header_claiming_a_huge_image_is_refused_before_allocating()
    {
        using var tmp = new TempFolder();
        NiftiFile.Write(tmp.File("a.nii"), Ramp(Oblique()));
        var bytes = File.ReadAllBytes(tmp.File("a.nii"));
        foreach (var off in new[] { 42, 44, 46 }) { bytes[off] = 0xFF; bytes[off + 1] = 0x7F; } // 32767^3 voxels
        using var ms = new MemoryStream(bytes);
        var e = Assert.Throws<InvalidDataException>(() => NiftiFile.Read(ms, gzip: false));
        Assert.Contains("exceeds", e.Message, StringComparison.Ordinal);
    }

    private static void AssertClose(ImageGeometry a, ImageGeometry b)
    {
        Assert.Equal(a.Spacing.X, b.Spacing.X, 5);
        Assert.Equal(a.Spacing.Y, b.Spacing.Y, 5);
        Assert.Equal(a.Spacing.Z, b.Spacing.Z, 5);
        Assert.Equal(a.Origin.X, b.Origin.X, 4);
        Assert.Equal(a.Origin.Y, b.Origin.Y, 4);
        Assert.Equal(a.Origin.Z, b.Origin.Z, 4);
        for (int i = 0; i < 9; i++) Assert.Equal(a.Direction[i], b.Direction[i], 5);
        _ = CultureInfo.InvariantCulture;
    }
}
