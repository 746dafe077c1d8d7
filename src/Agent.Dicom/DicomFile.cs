using Agent.Dicom.IO;

namespace Agent.Dicom;

/// <summary>
/// A DICOM Part 10 file (PS3.10 7): preamble, "DICM", File Meta Information (group 0002) and the dataset. Files
/// without preamble or meta are read too; their transfer syntax is sniffed from the first element.
/// </summary>
public sealed partial class DicomFile
{
    public DicomFile(DicomDataset meta, DicomDataset dataset, DicomTransferSyntax transferSyntax)
    {
        Meta = meta;
        Dataset = dataset;
        TransferSyntax = transferSyntax;
    }

    /// <summary>A new file for <paramref name="dataset"/>: meta created from its SOP Class/Instance UIDs.</summary>
    public DicomFile(DicomDataset dataset, DicomTransferSyntax transferSyntax)
        : this(DicomFileMeta.Create(dataset, transferSyntax), dataset, transferSyntax) { }

    /// <summary>The group 0002 elements (empty when the file had none).</summary>
    public DicomDataset Meta { get; }

    public DicomDataset Dataset { get; }

    /// <summary>The syntax the dataset was read in, or is to be written in.</summary>
    public DicomTransferSyntax TransferSyntax { get; private set; }

    /// <summary>False when the file had no "DICM" header and meta; its syntax was then sniffed.</summary>
    public bool HadMeta { get; init; } = true;

    /// <summary>True when reading ended at <see cref="DicomReaderOptions.StopAt"/>, so later elements are missing.</summary>
    public bool IsPartial { get; init; }

    /// <summary>Path the file was opened from, if any (lazy values still refer to it).</summary>
    public string? Path { get; init; }
}
