using System.Globalization;
using Agent.Dicom;
using Agent.Results.Coding;

namespace Agent.Results.Common;

/// <summary>Module builders shared by every result object: patient/study from the source, equipment, SOP Common.</summary>
internal static class Modules
{
    // Patient, General Study and Patient Study attributes we carry over; type 2 ones are written empty when absent.
    private static readonly DicomTag[] CopiedOptional =
    [
        DicomTags.SpecificCharacterSet, DicomTags.IssuerOfPatientID, DicomTags.PatientAge, DicomTags.PatientSize,
        DicomTags.PatientWeight, DicomTags.StudyDescription,
    ];

    private static readonly DicomTag[] CopiedType2 =
    [
        DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber, DicomTags.ReferringPhysicianName,
        DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyID,
    ];

    /// <summary>Copies the Patient and General Study modules of <paramref name="source"/> into <paramref name="target"/>.</summary>
    public static void CopyPatientAndStudy(DicomDataset source, DicomDataset target)
    {
        var study = source.GetString(DicomTags.StudyInstanceUID);
        if (string.IsNullOrEmpty(study)) throw new ArgumentException("the source instance has no Study Instance UID", nameof(source));
        target.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study);
        foreach (var tag in CopiedOptional)
            if (source.TryGetItem(tag, out var item) && item is DicomElement) target.AddOrUpdate(item);
        foreach (var tag in CopiedType2)
        {
            if (source.TryGetItem(tag, out var item) && item is DicomElement) target.AddOrUpdate(item);
            else target.AddOrUpdate(new DicomElement(tag, DicomDictionary.DefaultVR(tag), DicomBuffer.Empty));
        }
    }

    /// <summary>General Equipment and Enhanced General Equipment for our software.</summary>
    public static void AddEquipment(DicomDataset ds, EquipmentIdentity equipment)
    {
        ds.AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, equipment.Manufacturer);
        if (equipment.InstitutionName.Length > 0) ds.AddOrUpdate(DicomTags.InstitutionName, DicomVR.LO, equipment.InstitutionName);
        ds.AddOrUpdate(DicomTags.ManufacturerModelName, DicomVR.LO, equipment.ModelName);
        ds.AddOrUpdate(DicomTags.DeviceSerialNumber, DicomVR.LO, equipment.SerialNumber);
        ds.AddOrUpdate(DicomTags.SoftwareVersions, DicomVR.LO, equipment.SoftwareVersion);
    }

    /// <summary>Contributing Equipment naming our software and the model (IHE AI Results: the processing algorithm).</summary>
    public static void AddContributingEquipment(DicomDataset ds, EquipmentIdentity equipment, AlgorithmIdentity algorithm, DateTimeOffset when)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, equipment.Manufacturer);
        item.AddOrUpdate(DicomTags.ManufacturerModelName, DicomVR.LO, equipment.ModelName);
        item.AddOrUpdate(DicomTags.SoftwareVersions, DicomVR.LO, equipment.SoftwareVersion, Truncate(algorithm.Name + " " + algorithm.Version, 64));
        item.AddOrUpdate(Codes.ProcessingEquipment.ToSequence(DicomTags.PurposeOfReferenceCodeSequence));
        item.AddOrUpdate(DicomTags.ContributionDateTime, DicomVR.DT, DateTime(when));
        item.AddOrUpdate(DicomTags.ContributionDescription, DicomVR.ST, Truncate($"AI processing by model {algorithm.Name} {algorithm.Version}", 1024));
        ds.AddOrUpdate(DicomTags.ContributingEquipmentSequence, item);
    }

    /// <summary>SOP Common plus the series/instance identity every result has.</summary>
    public static void AddSopCommon(DicomDataset ds, string sopClassUid, string sopInstanceUid, DateTimeOffset when)
    {
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, sopClassUid);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sopInstanceUid);
        ds.AddOrUpdate(DicomTags.InstanceCreationDate, DicomVR.DA, Date(when));
        ds.AddOrUpdate(DicomTags.InstanceCreationTime, DicomVR.TM, Time(when));
    }

    public static string Date(DateTimeOffset t) => t.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
    public static string Time(DateTimeOffset t) => t.ToString("HHmmss", CultureInfo.InvariantCulture);
    public static string DateTime(DateTimeOffset t) => t.ToString("yyyyMMddHHmmsszzz", CultureInfo.InvariantCulture).Replace(":", "", StringComparison.Ordinal);

    /// <summary>A Decimal String value of at most 16 characters (PS3.5 6.2), as precise as fits.</summary>
    public static string Ds(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), "DS values must be finite");
        if (Math.Abs(value) < 1e-10) return "0";
        for (int digits = 15; digits > 1; digits--)
        {
            var s = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (s.Length <= 16) return s;
        }
        return value.ToString("E2", CultureInfo.InvariantCulture);
    }

    public static string Is(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    /// <summary>A Code String: upper case letters, digits, space and underscore, at most 16 characters.</summary>
    public static string CodeString(string s)
    {
        var chars = s.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == ' ' ? c : '_').ToArray();
        return Truncate(new string(chars), 16);
    }
}
