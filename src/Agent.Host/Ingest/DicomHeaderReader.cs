using System.Globalization;
using Agent.Dicom;
using Agent.Dicom.IO;

namespace Agent.Host.Ingest;

/// <summary>Reads a stored file's header with the project's reader, stopping before Pixel Data.</summary>
public sealed class DicomHeaderReader : IInstanceHeaderReader
{
    /// <summary>Attributes copied into the index: patient/study/series keys and what routing rules match on.</summary>
    public static readonly IReadOnlyList<(string Keyword, DicomTag Tag)> IndexedAttributes =
    [
        ("PatientID", DicomTags.PatientID),
        ("PatientName", DicomTags.PatientName),
        ("PatientBirthDate", DicomTags.PatientBirthDate),
        ("PatientSex", DicomTags.PatientSex),
        ("AccessionNumber", DicomTags.AccessionNumber),
        ("StudyID", DicomTags.StudyID),
        ("StudyDate", DicomTags.StudyDate),
        ("StudyTime", DicomTags.StudyTime),
        ("StudyDescription", DicomTags.StudyDescription),
        ("Modality", DicomTags.Modality),
        ("BodyPartExamined", DicomTags.BodyPartExamined),
        ("SeriesDescription", DicomTags.SeriesDescription),
        ("SeriesNumber", DicomTags.SeriesNumber),
        ("ProtocolName", DicomTags.ProtocolName),
        ("Manufacturer", DicomTags.Manufacturer),
        ("FrameOfReferenceUID", DicomTags.FrameOfReferenceUID),
        ("InstanceNumber", DicomTags.InstanceNumber),
        ("ImageType", DicomTags.ImageType),
        ("SliceThickness", DicomTags.SliceThickness),
        ("NumberOfFrames", DicomTags.NumberOfFrames),
        ("Rows", DicomTags.Rows),
        ("Columns", DicomTags.Columns),
    ];

    private static readonly DicomReaderOptions Options = new() { StopAt = DicomTags.PixelData };

    public Task<InstanceHeader> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var file = DicomFile.Open(path, Options, cancellationToken);
        var dataset = file.Dataset;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyword, tag) in IndexedAttributes)
        {
            var value = ValueText(dataset, tag);
            if (!string.IsNullOrEmpty(value)) attributes[keyword] = value;
        }
        return Task.FromResult(new InstanceHeader
        {
            StudyInstanceUid = dataset.GetString(DicomTags.StudyInstanceUID),
            SeriesInstanceUid = dataset.GetString(DicomTags.SeriesInstanceUID),
            SopInstanceUid = dataset.GetString(DicomTags.SOPInstanceUID),
            SopClassUid = dataset.GetString(DicomTags.SOPClassUID),
            TransferSyntaxUid = file.TransferSyntax.Uid,
            Attributes = attributes,
        });
    }

    private static string? ValueText(DicomDataset dataset, DicomTag tag)
    {
        if (!dataset.TryGetItem(tag, out var item) || item is not DicomElement element) return null;
        if (element.VR == DicomVR.US && element.Buffer.Length >= 2)
            return BitConverter.ToUInt16(element.Buffer.Span).ToString(CultureInfo.InvariantCulture);
        return dataset.GetString(tag)?.Trim();
    }
}
