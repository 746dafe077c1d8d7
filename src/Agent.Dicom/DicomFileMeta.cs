using Agent.Dicom.IO;

namespace Agent.Dicom;

/// <summary>File Meta Information (PS3.10 7.1): the group 0002 header in front of every Part 10 file.</summary>
public static class DicomFileMeta
{
    private static readonly byte[] Version = [0x00, 0x01];

    /// <summary>A complete meta group for a new file written by this implementation.</summary>
    public static DicomDataset Create(string sopClassUid, string sopInstanceUid, DicomTransferSyntax transferSyntax)
        => Create(sopClassUid, sopInstanceUid, transferSyntax.Uid, sourceAeTitle: null);

    /// <summary>
    /// A meta group for a data set received in <paramref name="transferSyntaxUid"/> (kept as the sender encoded it),
    /// naming the sender in Source Application Entity Title (0002,0016) when known.
    /// </summary>
    public static DicomDataset Create(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, string? sourceAeTitle)
    {
        var meta = new DicomDataset();
        meta.AddOrUpdateBytes(DicomTags.FileMetaInformationVersion, DicomVR.OB, Version);
        meta.AddOrUpdate(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClassUid);
        meta.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        meta.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, transferSyntaxUid);
        meta.AddOrUpdate(DicomTags.ImplementationClassUID, DicomVR.UI, DicomImplementation.ClassUid);
        meta.AddOrUpdate(DicomTags.ImplementationVersionName, DicomVR.SH, DicomImplementation.VersionName);
        if (!string.IsNullOrEmpty(sourceAeTitle)) meta.AddOrUpdate(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, sourceAeTitle);
        return meta;
    }

    /// <summary>
    /// The meta group of a Part 10 file on disk and the offset of its data set, without reading the data set (e.g. to
    /// send the file's data set bytes as they are). Throws <see cref="DicomFormatException"/> when there is no meta.
    /// </summary>
    public static DicomFileHeader ReadHeader(string path, CancellationToken cancellationToken = default)
        => DicomFile.ReadHeader(path, cancellationToken);

    /// <summary>A meta group for <paramref name="dataset"/> (its SOP Class/Instance UIDs) in <paramref name="transferSyntax"/>.</summary>
    public static DicomDataset Create(DicomDataset dataset, DicomTransferSyntax transferSyntax)
        => Create(dataset.GetString(DicomTags.SOPClassUID) ?? "", dataset.GetString(DicomTags.SOPInstanceUID) ?? "", transferSyntax);

    /// <summary>The 128-byte preamble, "DICM" and the meta group (explicit VR little endian, group length computed).</summary>
    public static byte[] EncodeHeader(DicomDataset meta)
    {
        var group = new DicomDataset();
        foreach (var item in meta)
            if (item.Tag.Group == 0x0002 && !item.Tag.IsGroupLength) group.AddOrUpdate(item);
        var body = DicomWriter.Encode(group, DicomTransferSyntax.ExplicitVRLittleEndian);
        var header = new byte[128 + 4 + 12 + body.Length];
        "DICM"u8.CopyTo(header.AsSpan(128));
        var lengthElement = header.AsSpan(132, 12);
        lengthElement[0] = 0x02; lengthElement[1] = 0x00; lengthElement[2] = 0x00; lengthElement[3] = 0x00;
        lengthElement[4] = (byte)'U'; lengthElement[5] = (byte)'L'; lengthElement[6] = 4; lengthElement[7] = 0;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(lengthElement[8..], (uint)body.Length);
        body.CopyTo(header.AsSpan(144));
        return header;
    }

    /// <summary>Writes a Part 10 header in front of a dataset the caller then streams in the meta's transfer syntax.</summary>
    public static void WriteHeader(Stream stream, DicomDataset meta) => stream.Write(EncodeHeader(meta));

    /// <summary>
    /// Writes a Part 10 header in front of a dataset the caller then streams in the meta's transfer syntax, e.g. a
    /// C-STORE dataset stored as its PDVs arrive.
    /// </summary>
    public static ValueTask WriteHeaderAsync(Stream stream, DicomDataset meta, CancellationToken cancellationToken)
        => stream.WriteAsync(EncodeHeader(meta), cancellationToken);
}

/// <summary>The meta group of a Part 10 file and the byte offset at which its data set starts.</summary>
public sealed record DicomFileHeader(DicomDataset Meta, long DataSetOffset)
{
    public string? SopClassUid => Meta.GetString(DicomTags.MediaStorageSOPClassUID);
    public string? SopInstanceUid => Meta.GetString(DicomTags.MediaStorageSOPInstanceUID);
    public string? TransferSyntaxUid => Meta.GetString(DicomTags.TransferSyntaxUID);
}
