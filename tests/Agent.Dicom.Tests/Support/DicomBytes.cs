using System.Buffers.Binary;
using System.Text;

namespace Agent.Dicom.Tests.Support;

/// <summary>Builds raw DICOM byte streams by hand, including the broken encodings the reader must survive.</summary>
public sealed class DicomBytes
{
    private readonly MemoryStream _ms = new();

    public bool BigEndian { get; init; }

    public byte[] ToArray() => _ms.ToArray();

    public int Length => (int)_ms.Length;

    public DicomBytes Raw(params byte[] bytes)
    {
        _ms.Write(bytes);
        return this;
    }

    public DicomBytes Ascii(string text) => Raw(Encoding.ASCII.GetBytes(text));

    public DicomBytes U16(ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        if (BigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        _ms.Write(b);
        return this;
    }

    public DicomBytes U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        if (BigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        _ms.Write(b);
        return this;
    }

    public DicomBytes Tag(uint tag) => U16((ushort)(tag >> 16)).U16((ushort)tag);

    /// <summary>Explicit VR element; long-form VRs get the reserved bytes and a 32-bit length.</summary>
    public DicomBytes Explicit(uint tag, string vr, byte[] value, uint? length = null)
    {
        Tag(tag).Ascii(vr);
        var desc = DicomVR.Parse(vr);
        if (desc.HasLongExplicitLength) U16(0).U32(length ?? (uint)value.Length);
        else U16((ushort)(length ?? (uint)value.Length));
        return Raw(value);
    }

    public DicomBytes Explicit(uint tag, string vr, string text) => Explicit(tag, vr, Encoding.ASCII.GetBytes(text));

    public DicomBytes Implicit(uint tag, byte[] value, uint? length = null) => Tag(tag).U32(length ?? (uint)value.Length).Raw(value);

    public DicomBytes Implicit(uint tag, string text) => Implicit(tag, Encoding.ASCII.GetBytes(text));

    public DicomBytes Item(uint length = 0xFFFFFFFF) => Tag(0xFFFEE000).U32(length);

    public DicomBytes ItemEnd() => Tag(0xFFFEE00D).U32(0);

    public DicomBytes SequenceEnd() => Tag(0xFFFEE0DD).U32(0);

    /// <summary>Preamble, DICM and an explicit VR LE meta group naming <paramref name="transferSyntaxUid"/>.</summary>
    public static DicomBytes Part10(string transferSyntaxUid)
    {
        var b = new DicomBytes();
        b.Raw(new byte[128]).Ascii("DICM");
        var uid = transferSyntaxUid.Length % 2 == 1 ? transferSyntaxUid + "\0" : transferSyntaxUid;
        b.Explicit(0x00020010, "UI", uid);
        return b;
    }
}
