using System.Globalization;
using Agent.Dicom;

namespace Agent.Benchmarks;

/// <summary>A CT series written with our own writer, with a header typical of a scanner's (about 120 elements).</summary>
internal static class SyntheticSeries
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    public static void Write(string folder, int slices, int size = 512)
    {
        var study = "2.25.1" + Random.Shared.NextInt64(1L << 50).ToString(CultureInfo.InvariantCulture);
        var series = study + ".1";
        var pixels = new short[size * size];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (short)((i * 7919) % 3000 - 1024);
        for (int z = 0; z < slices; z++)
        {
            var ds = Header(study, series, z);
            ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels);
            var file = new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
            file.Save(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"CT{z:D4}.dcm")));
        }
    }

    private static DicomDataset Header(string study, string series, int z)
    {
        var ds = new DicomDataset();
        void S(uint tag, DicomVR vr, params string[] v) => ds.AddOrUpdate(new DicomTag(tag), vr, v);
        void U(uint tag, ushort v) => ds.AddOrUpdate(new DicomTag(tag), DicomVR.US, v);
        var inv = CultureInfo.InvariantCulture;
        S(0x00080005, DicomVR.CS, "ISO_IR 100");
        S(0x00080008, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        S(0x00080012, DicomVR.DA, "20261127");
        S(0x00080013, DicomVR.TM, "101010.123456");
        S(0x00080016, DicomVR.UI, CtImageStorage);
        S(0x00080018, DicomVR.UI, series + "." + (z + 1).ToString(inv));
        S(0x00080020, DicomVR.DA, "20261127");
        S(0x00080021, DicomVR.DA, "20261127");
        S(0x00080022, DicomVR.DA, "20261127");
        S(0x00080023, DicomVR.DA, "20261127");
        S(0x00080030, DicomVR.TM, "100000");
        S(0x00080031, DicomVR.TM, "100500");
        S(0x00080032, DicomVR.TM, "100510.5");
        S(0x00080033, DicomVR.TM, "100510.5");
        S(0x00080050, DicomVR.SH, "ACC12345");
        S(0x00080060, DicomVR.CS, "CT");
        S(0x00080070, DicomVR.LO, "ACME Medical");
        S(0x00080080, DicomVR.LO, "General Hospital");
        S(0x00080090, DicomVR.PN, "Referring^Doctor");
        S(0x00081010, DicomVR.SH, "CT01");
        S(0x00081030, DicomVR.LO, "CT ABDOMEN WITH CONTRAST");
        S(0x0008103E, DicomVR.LO, "ABD 1.0 B30f");
        S(0x00081090, DicomVR.LO, "Scanner 9000");
        var code = new DicomDataset();
        code.AddOrUpdate(new DicomTag(0x00080100), DicomVR.SH, "RPID16");
        code.AddOrUpdate(new DicomTag(0x00080102), DicomVR.SH, "RADLEX");
        code.AddOrUpdate(new DicomTag(0x00080104), DicomVR.LO, "CT ABDOMEN WITH IV CONTRAST");
        ds.AddOrUpdate(new DicomTag(0x00081032), code);
        S(0x00100010, DicomVR.PN, "Doe^Jane");
        S(0x00100020, DicomVR.LO, "PID0001");
        S(0x00100030, DicomVR.DA, "19600101");
        S(0x00100040, DicomVR.CS, "F");
        S(0x00101010, DicomVR.AS, "066Y");
        S(0x00180015, DicomVR.CS, "ABDOMEN");
        S(0x00180022, DicomVR.CS, "HELICAL MODE");
        S(0x00180050, DicomVR.DS, "1.0");
        S(0x00180060, DicomVR.DS, "120");
        S(0x00180090, DicomVR.DS, "500");
        S(0x00181020, DicomVR.LO, "VA40");
        S(0x00181030, DicomVR.LO, "Abdomen");
        S(0x00181100, DicomVR.DS, "380");
        S(0x00181110, DicomVR.DS, "1085.6");
        S(0x00181111, DicomVR.DS, "595");
        S(0x00181120, DicomVR.DS, "0");
        S(0x00181130, DicomVR.DS, "180");
        S(0x00181140, DicomVR.CS, "CW");
        S(0x00181150, DicomVR.IS, "500");
        S(0x00181151, DicomVR.IS, "250");
        S(0x00181152, DicomVR.IS, "125");
        S(0x00181160, DicomVR.SH, "WEDGE_3");
        S(0x00181170, DicomVR.IS, "24");
        S(0x00181190, DicomVR.DS, "0.7");
        S(0x00181210, DicomVR.SH, "B30f");
        S(0x00185100, DicomVR.CS, "FFS");
        S(0x0020000D, DicomVR.UI, study);
        S(0x0020000E, DicomVR.UI, series);
        S(0x00200010, DicomVR.SH, "1");
        S(0x00200011, DicomVR.IS, "2");
        S(0x00200012, DicomVR.IS, "1");
        S(0x00200013, DicomVR.IS, (z + 1).ToString(inv));
        S(0x00200032, DicomVR.DS, "-250", "-250", (-z * 1.0).ToString("F1", inv));
        S(0x00200037, DicomVR.DS, "1", "0", "0", "0", "1", "0");
        S(0x00200052, DicomVR.UI, study + ".9");
        S(0x00201040, DicomVR.LO, "");
        S(0x00201041, DicomVR.DS, (-z * 1.0).ToString("F1", inv));
        U(0x00280002, 1);
        S(0x00280004, DicomVR.CS, "MONOCHROME2");
        U(0x00280010, 512);
        U(0x00280011, 512);
        S(0x00280030, DicomVR.DS, "0.9765625", "0.9765625");
        U(0x00280100, 16);
        U(0x00280101, 12);
        U(0x00280102, 11);
        U(0x00280103, 1);
        S(0x00281050, DicomVR.DS, "40", "400");
        S(0x00281051, DicomVR.DS, "400", "2000");
        S(0x00281052, DicomVR.DS, "-1024");
        S(0x00281053, DicomVR.DS, "1");
        S(0x00281054, DicomVR.LO, "HU");
        ds.AddOrUpdate(new DicomTag(0x00290010), DicomVR.LO, "ACME CT HEADER");
        ds.AddOrUpdateBytes(new DicomTag(0x00291010), DicomVR.OB, new byte[2048]);
        return ds;
    }
}
