namespace Agent.Dicom.Pixels;

/// <summary>
/// Changes a file's transfer syntax where this library can: between native syntaxes, native to RLE Lossless, and RLE
/// Lossless or encapsulated uncompressed to native. Anything else (JPEG, JPEG 2000...) is a clear format error.
/// </summary>
public static class DicomTranscoder
{
    public static bool CanTranscode(DicomTransferSyntax from, DicomTransferSyntax to)
        => IsDecodable(from) && (!to.IsEncapsulated || to == DicomTransferSyntax.RLELossless);

    private static bool IsDecodable(DicomTransferSyntax syntax)
        => !syntax.IsEncapsulated || syntax == DicomTransferSyntax.RLELossless
           || syntax == DicomTransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian;

    public static DicomFile Transcode(DicomFile file, DicomTransferSyntax target)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(target);
        if (target == file.TransferSyntax) return file;
        if (!CanTranscode(file.TransferSyntax, target))
            throw new DicomFormatException($"cannot transcode from {file.TransferSyntax} to {target}: only native, RLE Lossless and encapsulated uncompressed pixel data are supported");
        bool hasPixels = file.Dataset.Contains(DicomTags.PixelData);
        var dataset = file.Dataset;
        if (hasPixels && file.TransferSyntax.IsEncapsulated) dataset = DicomPixelData.DecodeToNative(dataset, file.TransferSyntax);
        var nativeSyntax = file.TransferSyntax.IsEncapsulated ? DicomTransferSyntax.ExplicitVRLittleEndian : file.TransferSyntax;
        if (hasPixels && target == DicomTransferSyntax.RLELossless) dataset = DicomPixelData.EncodeRle(dataset, nativeSyntax);
        var meta = file.Meta.Clone();
        meta.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, target.Uid);
        return new DicomFile(meta, dataset, target) { HadMeta = file.HadMeta };
    }
}
