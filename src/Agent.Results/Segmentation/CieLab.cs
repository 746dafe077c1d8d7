namespace Agent.Results.Segmentation;

/// <summary>sRGB to the DICOM-scaled CIELab of Recommended Display CIELab Value (PS3.3 C.10.7.1.1, D65 white).</summary>
public static class CieLab
{
    public static ushort[] FromRgb(byte r, byte g, byte b)
    {
        static double Linear(byte c)
        {
            var v = c / 255.0;
            return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
        }
        double rl = Linear(r), gl = Linear(g), bl = Linear(b);
        double x = (0.4124 * rl + 0.3576 * gl + 0.1805 * bl) / 0.95047;
        double y = 0.2126 * rl + 0.7152 * gl + 0.0722 * bl;
        double z = (0.0193 * rl + 0.1192 * gl + 0.9505 * bl) / 1.08883;
        static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : (24389.0 / 27 * t + 16) / 116;
        double l = 116 * F(y) - 16, a = 500 * (F(x) - F(y)), bb = 200 * (F(y) - F(z));
        static ushort Scale(double v, double lo, double hi) => (ushort)Math.Clamp(Math.Round((v - lo) / (hi - lo) * 65535), 0, 65535);
        return [Scale(l, 0, 100), Scale(a, -128, 127), Scale(bb, -128, 127)];
    }
}
