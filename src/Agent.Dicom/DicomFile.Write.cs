using Agent.Dicom.IO;

namespace Agent.Dicom;

public sealed partial class DicomFile
{
    /// <summary>Saves with preamble, "DICM" and meta in the file's transfer syntax.</summary>
    public void Save(string path, DicomWriterOptions? options = null)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
        Save(stream, options);
    }

    public void Save(Stream stream, DicomWriterOptions? options = null)
    {
        DicomFileMeta.WriteHeader(stream, PrepareMeta());
        DicomWriter.Write(stream, BodyToWrite(), TransferSyntax, options);
    }

    public async Task SaveAsync(string path, DicomWriterOptions? options, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            await SaveAsync(stream, options, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task SaveAsync(Stream stream, DicomWriterOptions? options, CancellationToken cancellationToken)
    {
        await DicomFileMeta.WriteHeaderAsync(stream, PrepareMeta(), cancellationToken).ConfigureAwait(false);
        await DicomWriter.WriteAsync(stream, BodyToWrite(), TransferSyntax, options, cancellationToken).ConfigureAwait(false);
    }

    public Task SaveAsync(Stream stream, CancellationToken cancellationToken) => SaveAsync(stream, null, cancellationToken);

    /// <summary>
    /// The same content in another transfer syntax (native syntaxes only; encapsulated pixel data cannot be transcoded
    /// here). The meta is copied with the new Transfer Syntax UID.
    /// </summary>
    public DicomFile WithTransferSyntax(DicomTransferSyntax syntax)
    {
        if (syntax == TransferSyntax) return this;
        if (TransferSyntax.IsEncapsulated || syntax.IsEncapsulated)
            throw new DicomFormatException($"cannot transcode between {TransferSyntax.Name} and {syntax.Name}: encapsulated pixel data");
        var meta = Meta.Clone();
        meta.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, syntax.Uid);
        return new DicomFile(meta, Dataset, syntax) { HadMeta = HadMeta, IsPartial = IsPartial, Path = Path };
    }

    /// <summary>The dataset without group 0002, which belongs in the meta header only.</summary>
    private DicomDataset BodyToWrite()
    {
        if (!Dataset.TakeWhile(i => i.Tag.Group <= 0x0002).Any(i => i.Tag.Group == 0x0002)) return Dataset;
        var body = Dataset.Clone();
        body.RemoveAll(i => i.Tag.Group == 0x0002);
        return body;
    }

    /// <summary>The meta to write: ours where the file had none, always naming the syntax actually written.</summary>
    private DicomDataset PrepareMeta()
    {
        if (IsPartial)
            throw new InvalidOperationException("this file was read with StopAt, so elements are missing; saving it would lose them");
        var meta = Meta.Count == 0 ? DicomFileMeta.Create(Dataset, TransferSyntax) : Meta.Clone();
        meta.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, TransferSyntax.Uid);
        if (!meta.Contains(DicomTags.FileMetaInformationVersion))
            meta.AddOrUpdateBytes(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0, 1 });
        return meta;
    }
}
