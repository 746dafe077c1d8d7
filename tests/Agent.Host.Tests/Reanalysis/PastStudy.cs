using Agent.Dicom;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Imaging.Phantom;

namespace Agent.Host.Tests.Reanalysis;

/// <summary>
/// A past study as the PACS holds it: the CT abdomen the agent processed back then (<see cref="PastUid"/>), a
/// delayed-phase CT the agent never saw (<see cref="DelayedUid"/>), and an MR series the CT query must not match.
/// Small: matrix 64, about 25 slices per series.
/// </summary>
internal sealed record PastStudy(string Folder, string StudyUid, string PastUid, string DelayedUid, string MrUid, IReadOnlyList<string> PastFiles, IReadOnlyList<string> AllFiles)
{
    private const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";

    public static async Task<PastStudy> CreateAsync(string folder)
    {
        var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = 7, Matrix = 64, PixelSpacing = 420.0 / 64, SliceSpacing = 12, PatientId = "RE-1", PatientName = "Reanalysis^Test" });
        var past = await PhantomWriter.WriteDicomAsync(phantom, Path.Combine(folder, "past"), CancellationToken.None);
        var delayedUid = DicomUidGenerator.Create();
        var mrUid = DicomUidGenerator.Create();
        var delayed = Copy(past, Path.Combine(folder, "delayed"), delayedUid, ds => ds.AddOrUpdate(DicomTags.SeriesDescription, "Abdomen delayed").AddOrUpdate(DicomTags.SeriesNumber, "5"), null);
        var mr = Copy(past, Path.Combine(folder, "mr"), mrUid, ds => ds.AddOrUpdate(DicomTags.Modality, "MR").AddOrUpdate(DicomTags.SeriesNumber, "6"), MrImageStorage);
        return new PastStudy(folder, phantom.Scan.StudyInstanceUid, phantom.Scan.SeriesInstanceUid, delayedUid, mrUid, past, [.. past, .. delayed, .. mr]);
    }

    /// <summary>C-STOREs every series to the PACS (Orthanc).</summary>
    public async Task UploadAsync(int port, string aeTitle)
    {
        var requests = AllFiles.Select(CStoreRequest.FromFile).ToList();
        await using var client = await DicomClient.ConnectForAsync(new DicomClientOptions { Host = "127.0.0.1", Port = port, CalledAeTitle = aeTitle }, requests);
        foreach (var r in requests) Assert.True((await client.SendForFinalAsync(r)).Status.IsSuccess);
        await client.ReleaseAsync();
    }

    private static List<string> Copy(IReadOnlyList<string> files, string folder, string seriesUid, Action<DicomDataset> edit, string? sopClass)
    {
        Directory.CreateDirectory(folder);
        var copies = new List<string>();
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
            var copy = Path.Combine(folder, Path.GetFileName(path));
            file.Save(copy);
            copies.Add(copy);
        }
        return copies;
    }
}
