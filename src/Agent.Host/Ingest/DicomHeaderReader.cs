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

    public Task<InstanceHeader> ReadAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult(Header(DicomFile.Open(path, Options, cancellationToken)));

    public Task<InstanceHeader> ReadAsync(string path, ReadOnlyMemory<byte> head, long fileLength, CancellationToken cancellationToken)
    {
        // The head is trusted only when it is the whole file or the parse reached Pixel Data: a head cut on an element
        // boundary would otherwise parse "successfully" without the attributes after the cut.
        try
        {
            var file = DicomFile.Read(head, Options, cancellationToken);
            if (head.Length == fileLength || file.IsPartial) return Task.FromResult(Header(file));
        }
        catch (DicomFormatException) when (head.Length < fileLength)
        {
            // Cut inside an element: the file has the rest.
        }
        return ReadAsync(path, cancellationToken);
    }

    private static InstanceHeader Header(DicomFile file)
    {
        var dataset = file.Dataset;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyword, tag) in IndexedAttributes)
        {
            var value = ValueText(dataset, tag);
            if (!string.IsNullOrEmpty(value)) attributes[keyword] = value;
        }
        return new InstanceHeader
        {
            StudyInstanceUid = dataset.GetString(DicomTags.StudyInstanceUID),
            SeriesInstanceUid = dataset.GetString(DicomTags.SeriesInstanceUID),
            SopInstanceUid = dataset.GetString(DicomTags.SOPInstanceUID),
            SopClassUid = dataset.GetString(DicomTags.SOPClassUID),
            TransferSyntaxUid = file.TransferSyntax.Uid,
            Attributes = attributes,
        };
    }

    private static string? ValueText(DicomDataset dataset, DicomTag tag)
    {
        if (!dataset.TryGetItem(tag, out var item) || item is not DicomElement element) return null;
        if (element.VR == DicomVR.US && element.Buffer.Length >= 2)
            return BitConverter.ToUInt16(element.Buffer.Span).ToString(CultureInfo.InvariantCulture);
        return dataset.GetString(tag)?.Trim();
    }
}
