using System.Collections.Frozen;

namespace Agent.Dicom;

/// <summary>A transfer syntax (PS3.5 10, Annex A) with what the reader and writer need to know about it.</summary>
public sealed class DicomTransferSyntax
{
    private DicomTransferSyntax(string uid, string name, bool explicitVR, bool bigEndian, bool deflated, bool encapsulated,
        bool lossy = false)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = explicitVR;
        IsBigEndian = bigEndian;
        IsDeflated = deflated;
        IsEncapsulated = encapsulated;
        IsLossy = lossy;
    }

    public string Uid { get; }
    public string Name { get; }
    public bool IsExplicitVR { get; }
    public bool IsBigEndian { get; }
    public bool IsDeflated { get; }

    /// <summary>Pixel data is a fragment sequence (compressed or encapsulated uncompressed).</summary>
    public bool IsEncapsulated { get; }
    public bool IsLossy { get; }

    /// <summary>True when this implementation can read pixel values from it (native, deflated or RLE).</summary>
    public bool CanDecodePixels => !IsEncapsulated || this == RLELossless;

    public override string ToString() => $"{Name} [{Uid}]";

    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);
    public static readonly DicomTransferSyntax EncapsulatedUncompressedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", true, false, false, true);
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian (Retired)", true, true, false, false);
    public static readonly DicomTransferSyntax JPEGBaseline = new("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, false, true, true);
    public static readonly DicomTransferSyntax JPEGExtended = new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, false, false, true, true);
    public static readonly DicomTransferSyntax JPEGLossless = new("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, false, false, true);
    public static readonly DicomTransferSyntax JPEGLosslessSV1 = new("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", true, false, false, true);
    public static readonly DicomTransferSyntax JPEGLSLossless = new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", true, false, false, true);
    public static readonly DicomTransferSyntax JPEGLSNearLossless = new("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", true, false, false, true, true);
    public static readonly DicomTransferSyntax JPEG2000Lossless = new("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", true, false, false, true);
    public static readonly DicomTransferSyntax JPEG2000 = new("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", true, false, false, true, true);
    public static readonly DicomTransferSyntax HTJ2KLossless = new("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)", true, false, false, true);
    public static readonly DicomTransferSyntax HTJ2K = new("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression", true, false, false, true, true);
    public static readonly DicomTransferSyntax MPEG2 = new("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", true, false, false, true, true);
    public static readonly DicomTransferSyntax MPEG4 = new("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", true, false, false, true, true);
    public static readonly DicomTransferSyntax RLELossless = new("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, true);

    public static IReadOnlyList<DicomTransferSyntax> Known { get; } =
    [
        ImplicitVRLittleEndian, ExplicitVRLittleEndian, EncapsulatedUncompressedExplicitVRLittleEndian,
        DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian, JPEGBaseline, JPEGExtended, JPEGLossless, JPEGLosslessSV1,
        JPEGLSLossless, JPEGLSNearLossless, JPEG2000Lossless, JPEG2000, HTJ2KLossless, HTJ2K, MPEG2, MPEG4, RLELossless,
    ];

    private static readonly FrozenDictionary<string, DicomTransferSyntax> ByUid = Known.ToFrozenDictionary(t => t.Uid, StringComparer.Ordinal);

    /// <summary>
    /// Finds a transfer syntax by UID. Unknown UIDs under the 1.2.840.10008.1.2.4 and .5 arcs are treated as encapsulated
    /// explicit VR little endian (every compressed syntax is), so their metadata stays readable and pixels are reported
    /// as unsupported rather than misread.
    /// </summary>
    public static DicomTransferSyntax Lookup(string uid)
    {
        uid = uid.TrimEnd('\0', ' ');
        if (ByUid.TryGetValue(uid, out var ts)) return ts;
        if (uid.StartsWith("1.2.840.10008.1.2.4.", StringComparison.Ordinal) || uid.StartsWith("1.2.840.10008.1.2.", StringComparison.Ordinal))
            return new DicomTransferSyntax(uid, "Unknown encapsulated transfer syntax", true, false, false, true, true);
        throw new DicomFormatException($"unknown transfer syntax '{uid}'");
    }

    public static bool TryLookup(string uid, out DicomTransferSyntax syntax)
    {
        try { syntax = Lookup(uid); return true; }
        catch (DicomFormatException) { syntax = ImplicitVRLittleEndian; return false; }
    }
}
