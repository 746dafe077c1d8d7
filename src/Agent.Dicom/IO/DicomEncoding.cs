namespace Agent.Dicom.IO;

/// <summary>How one stretch of a dataset is encoded: explicit or implicit VR, little or big endian.</summary>
public readonly record struct DicomEncoding(bool IsExplicitVR, bool IsBigEndian)
{
    public static DicomEncoding ImplicitLittleEndian { get; } = new(false, false);
    public static DicomEncoding ExplicitLittleEndian { get; } = new(true, false);
    public static DicomEncoding ExplicitBigEndian { get; } = new(true, true);

    /// <summary>The element encoding of a transfer syntax (deflated syntaxes inflate to explicit VR little endian).</summary>
    public static DicomEncoding Of(DicomTransferSyntax syntax) => new(syntax.IsExplicitVR, syntax.IsBigEndian);

    /// <summary>
    /// Guesses the encoding from the first element's bytes (files without meta information): a known VR code at bytes
    /// 4-5 means explicit VR; a group number that only makes sense byte-swapped means big endian.
    /// </summary>
    public static DicomEncoding Sniff(ReadOnlySpan<byte> first, DicomEncoding fallback)
    {
        if (first.Length < 8) return fallback;
        bool explicitVR = DicomVR.TryGet(first[4], first[5], out _);
        int groupLE = first[0] | (first[1] << 8);
        int groupBE = (first[0] << 8) | first[1];
        bool bigEndian = explicitVR && groupLE > 0x00FF && groupBE <= 0x00FF;
        return new DicomEncoding(explicitVR, bigEndian);
    }

    /// <summary>Byte-swap unit of a value on big endian input: AT is two 16-bit halves, bulk bytes never swap.</summary>
    public static int SwapUnit(DicomVR vr)
    {
        if (vr == DicomVR.AT) return 2;
        if (vr.IsString || vr == DicomVR.OB || vr == DicomVR.UN || vr == DicomVR.SQ) return 1;
        return vr.UnitSize;
    }
}
