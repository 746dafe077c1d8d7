using System.Numerics;
using System.Security.Cryptography;
using Agent.Dicom;

namespace Agent.Host.Tests;

/// <summary>Synthetic CT instances (pydicom's CT_small with fresh Study/Series/SOP Instance UIDs).</summary>
public static class TestInstances
{
    private const string Source = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";

    public static string NewUid() => "2.25." + new BigInteger(RandomNumberGenerator.GetBytes(16), isUnsigned: true).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="count"/> files of one series into <paramref name="folder"/>; returns their paths in order.</summary>
    public static IReadOnlyList<string> WriteSeries(string folder, int count, string? studyUid = null)
    {
        Directory.CreateDirectory(folder);
        var source = DicomFile.Open(Source);
        var dataset = source.Dataset;
        dataset.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, studyUid ?? NewUid());
        dataset.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, NewUid());
        var paths = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            dataset.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, NewUid());
            dataset.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var path = Path.Combine(folder, $"{i:D4}.dcm");
            new DicomFile(dataset, source.TransferSyntax).Save(path);
            paths.Add(path);
        }
        return paths;
    }

    public static string SopInstanceUid(string path) => DicomFile.Open(path).Dataset.GetString(DicomTags.SOPInstanceUID)!;
}
