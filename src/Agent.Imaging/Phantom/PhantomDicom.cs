using System.Globalization;
using Agent.Dicom;

namespace Agent.Imaging.Phantom;

/// <summary>CT Image IOD datasets (PS3.3 A.3) for a phantom volume, one per slice, in acquisition order.</summary>
internal static class PhantomDicom
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    public static List<DicomDataset> CreateSlices(PhantomScan scan, Volume image, PhantomOptions options, UidSource uids)
    {
        var g = image.Geometry;
        int n = g.Size.Z, plane = g.Size.X * g.Size.Y;
        bool normalUp = g.Direction[8] > 0;
        var date = new DateTime(2026, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddDays(Math.Abs(scan.Seed % 365)).AddMinutes(Math.Abs(scan.Seed % 600));
        string da = date.ToString("yyyyMMdd", CultureInfo.InvariantCulture), tm = date.ToString("HHmmss", CultureInfo.InvariantCulture);
        var patientId = options.PatientId.Length > 0 ? options.PatientId : string.Create(CultureInfo.InvariantCulture, $"PHANTOM{scan.Seed}");
        var patientName = options.PatientName.Length > 0 ? options.PatientName : string.Create(CultureInfo.InvariantCulture, $"Phantom^Seed{scan.Seed}");
        string row = F(g.Direction[0]) + "\\" + F(g.Direction[3]) + "\\" + F(g.Direction[6]);
        string col = F(g.Direction[1]) + "\\" + F(g.Direction[4]) + "\\" + F(g.Direction[7]);

        var list = new List<DicomDataset>(n);
        for (int a = 0; a < n; a++)
        {
            int k = normalUp ? n - 1 - a : a;
            var ipp = g.IndexToPatient(0, 0, k);
            var ds = new DicomDataset();
            Text(ds, Tags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
            Text(ds, Tags.ImageType, DicomVR.CS, "ORIGINAL\\PRIMARY\\AXIAL");
            Text(ds, Tags.SOPClassUID, DicomVR.UI, CtImageStorage);
            Text(ds, Tags.SOPInstanceUID, DicomVR.UI, uids.Next());
            Text(ds, Tags.StudyDate, DicomVR.DA, da);
            Text(ds, Tags.SeriesDate, DicomVR.DA, da);
            Text(ds, Tags.ContentDate, DicomVR.DA, da);
            Text(ds, Tags.StudyTime, DicomVR.TM, tm);
            Text(ds, Tags.SeriesTime, DicomVR.TM, tm);
            Text(ds, Tags.ContentTime, DicomVR.TM, tm);
            Text(ds, Tags.AccessionNumber, DicomVR.SH, string.Create(CultureInfo.InvariantCulture, $"PH{scan.Seed}"));
            Text(ds, Tags.Modality, DicomVR.CS, "CT");
            Text(ds, Tags.Manufacturer, DicomVR.LO, "Agent phantom");
            Text(ds, Tags.ReferringPhysicianName, DicomVR.PN, "");
            Text(ds, Tags.StudyDescription, DicomVR.LO, "Synthetic abdominal CT");
            Text(ds, Tags.SeriesDescription, DicomVR.LO, scan.Phase == ContrastPhase.PortalVenous ? "Abdomen portal venous" : "Abdomen non-contrast");
            Text(ds, Tags.ManufacturerModelName, DicomVR.LO, "PhantomGenerator");
            Text(ds, Tags.PatientName, DicomVR.PN, patientName);
            Text(ds, Tags.PatientID, DicomVR.LO, patientId);
            Text(ds, Tags.PatientBirthDate, DicomVR.DA, "");
            Text(ds, Tags.PatientSex, DicomVR.CS, "O");
            if (scan.Phase == ContrastPhase.PortalVenous) Text(ds, Tags.ContrastBolusAgent, DicomVR.LO, "Iodinated contrast");
            Text(ds, Tags.BodyPartExamined, DicomVR.CS, "ABDOMEN");
            Text(ds, Tags.SliceThickness, DicomVR.DS, F(g.Spacing.Z));
            Text(ds, Tags.KVP, DicomVR.DS, "120");
            Text(ds, Tags.SpacingBetweenSlices, DicomVR.DS, F(g.Spacing.Z));
            Text(ds, Tags.ReconstructionDiameter, DicomVR.DS, F(g.Size.X * g.Spacing.X));
            Text(ds, Tags.PatientPosition, DicomVR.CS, scan.Position.ToString());
            Text(ds, Tags.StudyInstanceUID, DicomVR.UI, scan.StudyInstanceUid);
            Text(ds, Tags.SeriesInstanceUID, DicomVR.UI, scan.SeriesInstanceUid);
            Text(ds, Tags.StudyID, DicomVR.SH, "1");
            Text(ds, Tags.SeriesNumber, DicomVR.IS, "2");
            Text(ds, Tags.AcquisitionNumber, DicomVR.IS, "1");
            Text(ds, Tags.InstanceNumber, DicomVR.IS, (a + 1).ToString(CultureInfo.InvariantCulture));
            Text(ds, Tags.ImagePositionPatient, DicomVR.DS, F(ipp.X) + "\\" + F(ipp.Y) + "\\" + F(ipp.Z));
            Text(ds, Tags.ImageOrientationPatient, DicomVR.DS, row + "\\" + col);
            Text(ds, Tags.FrameOfReferenceUID, DicomVR.UI, scan.FrameOfReferenceUid);
            Text(ds, Tags.PositionReferenceIndicator, DicomVR.LO, "");
            Text(ds, Tags.SliceLocation, DicomVR.DS, F(ipp.Z));
            ds.AddOrUpdate(Tags.SamplesPerPixel, DicomVR.US, (ushort)1);
            Text(ds, Tags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
            ds.AddOrUpdate(Tags.Rows, DicomVR.US, (ushort)g.Size.Y);
            ds.AddOrUpdate(Tags.Columns, DicomVR.US, (ushort)g.Size.X);
            Text(ds, Tags.PixelSpacing, DicomVR.DS, F(g.Spacing.Y) + "\\" + F(g.Spacing.X));
            ds.AddOrUpdate(Tags.BitsAllocated, DicomVR.US, (ushort)16);
            ds.AddOrUpdate(Tags.BitsStored, DicomVR.US, (ushort)16);
            ds.AddOrUpdate(Tags.HighBit, DicomVR.US, (ushort)15);
            ds.AddOrUpdate(Tags.PixelRepresentation, DicomVR.US, (ushort)1);
            Text(ds, Tags.WindowCenter, DicomVR.DS, "40");
            Text(ds, Tags.WindowWidth, DicomVR.DS, "400");
            Text(ds, Tags.RescaleIntercept, DicomVR.DS, F(PhantomGenerator.RescaleIntercept));
            Text(ds, Tags.RescaleSlope, DicomVR.DS, "1");
            Text(ds, Tags.RescaleType, DicomVR.LO, "HU");
            var pixels = new short[plane];
            var src = image.Voxels.AsSpan((int)((long)k * plane), plane);
            for (int i = 0; i < plane; i++) pixels[i] = (short)(src[i] - PhantomGenerator.RescaleIntercept);
            ds.AddOrUpdate(Tags.PixelData, DicomVR.OW, pixels);
            list.Add(ds);
        }
        return list;
    }

    private static void Text(DicomDataset ds, DicomTag tag, DicomVR vr, string value) => ds.AddOrUpdate(tag, vr, value);

    // DS allows 16 characters; positions keep 0.001 mm, which is far below any voxel.
    private static string F(double v)
    {
        var s = Math.Round(v, 6).ToString("0.######", CultureInfo.InvariantCulture);
        if (s == "-0") s = "0";
        return s.Length <= 16 ? s : v.ToString("G10", CultureInfo.InvariantCulture);
    }
}
