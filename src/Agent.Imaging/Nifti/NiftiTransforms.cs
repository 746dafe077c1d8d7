using System.Buffers.Binary;
using System.Text;

namespace Agent.Imaging.Nifti;

/// <summary>qform/sform to and from <see cref="ImageGeometry"/> (nifti1.h, "3D IMAGE (VOLUME) ORIENTATION AND LOCATION IN SPACE").</summary>
internal static class NiftiTransforms
{
    public static (ImageGeometry, NiftiTransformSource) ReadGeometry(HeaderReader h, (int X, int Y, int Z) size, double[] pixdim)
    {
        int qcode = h.Short(252), scode = h.Short(254);
        double[] affine; // RAS, row-major 3x4
        NiftiTransformSource source;
        if (scode > 0)
        {
            affine = new double[12];
            for (int i = 0; i < 12; i++) affine[i] = h.Float(280 + 4 * i);
            source = NiftiTransformSource.SForm;
        }
        else if (qcode > 0)
        {
            double b = h.Float(256), c = h.Float(260), d = h.Float(264);
            double a = Math.Sqrt(Math.Max(0, 1 - (b * b + c * c + d * d)));
            double qfac = pixdim[0] < 0 ? -1 : 1;
            double dx = Positive(pixdim[1]), dy = Positive(pixdim[2]), dz = Positive(pixdim[3]) * qfac;
            double[] r =
            [
                a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
                2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
                2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b,
            ];
            affine =
            [
                r[0] * dx, r[1] * dy, r[2] * dz, h.Float(268),
                r[3] * dx, r[4] * dy, r[5] * dz, h.Float(272),
                r[6] * dx, r[7] * dy, r[8] * dz, h.Float(276),
            ];
            source = NiftiTransformSource.QForm;
        }
        else
        {
            affine = [Positive(pixdim[1]), 0, 0, 0, 0, Positive(pixdim[2]), 0, 0, 0, 0, Positive(pixdim[3]), 0];
            source = NiftiTransformSource.PixDim;
        }
        if (!affine.All(double.IsFinite)) throw new InvalidDataException("NIfTI transform has non-finite values");

        // RAS -> LPS: negate the x and y rows.
        for (int c = 0; c < 4; c++) { affine[c] = -affine[c]; affine[4 + c] = -affine[4 + c]; }
        var spacing = new double[3];
        var direction = new double[9];
        for (int c = 0; c < 3; c++)
        {
            var len = Math.Sqrt(affine[c] * affine[c] + affine[4 + c] * affine[4 + c] + affine[8 + c] * affine[8 + c]);
            if (!(len > 0)) throw new InvalidDataException("NIfTI transform has a zero-length axis");
            spacing[c] = len;
            for (int r = 0; r < 3; r++) direction[r * 3 + c] = affine[r * 4 + c] / len;
        }
        var geometry = new ImageGeometry(size, (spacing[0], spacing[1], spacing[2]), (affine[3], affine[7], affine[11]), direction);
        return (geometry, source);
    }

    private static double Positive(double v) => v > 0 && double.IsFinite(v) ? v : 1;

    public static byte[] BuildHeader(ImageGeometry g, NiftiDataType type, int bytesPer, double slope, double intercept, int dataOffset)
    {
        var h = new byte[348];
        var s = h.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(s, 348);
        s[38] = (byte)'r';
        short[] dim = [3, (short)g.Size.X, (short)g.Size.Y, (short)g.Size.Z, 1, 1, 1, 1];
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteInt16LittleEndian(s[(40 + 2 * i)..], dim[i]);
        BinaryPrimitives.WriteInt16LittleEndian(s[70..], (short)type);
        BinaryPrimitives.WriteInt16LittleEndian(s[72..], (short)(bytesPer * 8));

        // RAS direction and the quaternion of its proper rotation; a reflection goes into qfac.
        var d = g.Direction;
        double[] r = [-d[0], -d[1], -d[2], -d[3], -d[4], -d[5], d[6], d[7], d[8]];
        double det = r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) + r[2] * (r[3] * r[7] - r[4] * r[6]);
        double qfac = det < 0 ? -1 : 1;
        if (qfac < 0) { r[2] = -r[2]; r[5] = -r[5]; r[8] = -r[8]; }
        var (qb, qc, qd) = Quaternion(r);

        float[] pixdim = [(float)qfac, (float)g.Spacing.X, (float)g.Spacing.Y, (float)g.Spacing.Z, 1, 1, 1, 1];
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteSingleLittleEndian(s[(76 + 4 * i)..], pixdim[i]);
        BinaryPrimitives.WriteSingleLittleEndian(s[108..], dataOffset);
        BinaryPrimitives.WriteSingleLittleEndian(s[112..], (float)slope);
        BinaryPrimitives.WriteSingleLittleEndian(s[116..], (float)intercept);
        s[123] = 2; // xyzt_units: millimetres
        Encoding.ASCII.GetBytes("Agent.Imaging").CopyTo(s[148..]);
        BinaryPrimitives.WriteInt16LittleEndian(s[252..], 1); // qform_code: scanner anatomical
        BinaryPrimitives.WriteInt16LittleEndian(s[254..], 1); // sform_code: scanner anatomical
        BinaryPrimitives.WriteSingleLittleEndian(s[256..], (float)qb);
        BinaryPrimitives.WriteSingleLittleEndian(s[260..], (float)qc);
        BinaryPrimitives.WriteSingleLittleEndian(s[264..], (float)qd);
        double ox = -g.Origin.X, oy = -g.Origin.Y, oz = g.Origin.Z;
        BinaryPrimitives.WriteSingleLittleEndian(s[268..], (float)ox);
        BinaryPrimitives.WriteSingleLittleEndian(s[272..], (float)oy);
        BinaryPrimitives.WriteSingleLittleEndian(s[276..], (float)oz);
        double[] spacing = [g.Spacing.X, g.Spacing.Y, g.Spacing.Z];
        double[] offsets = [ox, oy, oz];
        for (int row = 0; row < 3; row++)
        {
            double sign = row < 2 ? -1 : 1;
            for (int c = 0; c < 3; c++)
                BinaryPrimitives.WriteSingleLittleEndian(s[(280 + 16 * row + 4 * c)..], (float)(sign * d[row * 3 + c] * spacing[c]));
            BinaryPrimitives.WriteSingleLittleEndian(s[(280 + 16 * row + 12)..], (float)offsets[row]);
        }
        "n+1\0"u8.CopyTo(s[344..]);
        return h;
    }

    /// <summary>(b, c, d) of the unit quaternion of a proper rotation (row-major), as nifti_mat44_to_quatern computes it.</summary>
    private static (double B, double C, double D) Quaternion(double[] r)
    {
        double r11 = r[0], r12 = r[1], r13 = r[2], r21 = r[3], r22 = r[4], r23 = r[5], r31 = r[6], r32 = r[7], r33 = r[8];
        double a = r11 + r22 + r33 + 1, b, c, d;
        if (a > 0.5)
        {
            a = 0.5 * Math.Sqrt(a);
            b = 0.25 * (r32 - r23) / a; c = 0.25 * (r13 - r31) / a; d = 0.25 * (r21 - r12) / a;
        }
        else
        {
            double xd = 1 + r11 - (r22 + r33), yd = 1 + r22 - (r11 + r33), zd = 1 + r33 - (r11 + r22);
            if (xd > 1) { b = 0.5 * Math.Sqrt(xd); c = 0.25 * (r12 + r21) / b; d = 0.25 * (r13 + r31) / b; a = 0.25 * (r32 - r23) / b; }
            else if (yd > 1) { c = 0.5 * Math.Sqrt(yd); b = 0.25 * (r12 + r21) / c; d = 0.25 * (r23 + r32) / c; a = 0.25 * (r13 - r31) / c; }
            else { d = 0.5 * Math.Sqrt(zd); b = 0.25 * (r13 + r31) / d; c = 0.25 * (r23 + r32) / d; a = 0.25 * (r21 - r12) / d; }
            if (a < 0) { b = -b; c = -c; d = -d; }
        }
        return (b, c, d);
    }
}
