using Agent.Dicom;
using Agent.Imaging.Phantom;

namespace Agent.Host.Tests.Routing;

/// <summary>
/// One study with three series, made from a small phantom: the CT abdomen as generated, a "CT chest" copy and an
/// "MR" copy (new series/SOP UIDs, edited Modality, SOP Class, body part and description).
/// </summary>
internal sealed record ThreeSeriesStudy(string Folder, string StudyUid, string AbdomenUid, string ChestUid, string MrUid, int SlicesPerSeries)
{
    private const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";

    public static async Task<ThreeSeriesStudy> CreateAsync(string folder, CancellationToken ct)
    {
        var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = 11, Matrix = 64, SliceSpacing = 5, PixelSpacing = 0.9 });
        var abdomen = Path.Combine(folder, "abdomen");
        var files = await PhantomWriter.WriteDicomAsync(phantom, abdomen, ct);
        var chestUid = DicomUidGenerator.Create();
        var mrUid = DicomUidGenerator.Create();
        Copy(files, Path.Combine(folder, "chest"), chestUid, ds => ds
            .AddOrUpdate(DicomTags.BodyPartExamined, "CHEST")
            .AddOrUpdate(DicomTags.SeriesDescription, "Chest lung window")
            .AddOrUpdate(DicomTags.SeriesNumber, "3"), null);
        Copy(files, Path.Combine(folder, "mr"), mrUid, ds => ds
            .AddOrUpdate(DicomTags.Modality, "MR")
            .AddOrUpdate(DicomTags.SeriesDescription, "T2 haste axial")
            .AddOrUpdate(DicomTags.SeriesNumber, "4"), MrImageStorage);
        return new ThreeSeriesStudy(folder, phantom.Scan.StudyInstanceUid, phantom.Scan.SeriesInstanceUid, chestUid, mrUid, files.Count);
    }

    private static void Copy(IReadOnlyList<string> files, string folder, string seriesUid, Action<DicomDataset> edit, string? sopClass)
    {
        Directory.CreateDirectory(folder);
        foreach (var path in files)
        {
            var file = DicomFile.Open(path);
            var sop = DicomUidGenerator.Create();
            file.Dataset.AddOrUpdate(DicomTags.SeriesInstanceUID, seriesUid).AddOrUpdate(DicomTags.SOPInstanceUID, sop);
            file.Meta.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, sop);
            if (sopClass is not null)
            {
                file.Dataset.AddOrUpdate(DicomTags.SOPClassUID, sopClass);
                file.Meta.AddOrUpdate(DicomTags.MediaStorageSOPClassUID, sopClass);
            }
            edit(file.Dataset);
            file.Save(Path.Combine(folder, Path.GetFileName(path)));
        }
    }
}
