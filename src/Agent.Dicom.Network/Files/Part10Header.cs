using System.Buffers.Binary;
using System.Text;
using Agent.Dicom;

namespace Agent.Dicom.Network.Files;

/// <summary>
/// The file meta information of a Part 10 file (PS3.10 7.1), read or written by the network layer itself: that is all
/// it needs to send a file as-is or to store a received data set with the sender's transfer syntax preserved.
/// </summary>
public sealed record Part10Header(string SopClassUid, string SopInstanceUid, string TransferSyntaxUid, long DataSetOffset)
{
    private const int MaxMetaLength = 64 * 1024;

    public static Part10Header Read(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        return Read(fs, path);
    }

    public static Part10Header Read(Stream stream, string name)
    {
        Span<byte> head = stackalloc byte[132];
        if (stream.ReadAtLeast(head, 132, throwOnEndOfStream: false) < 132 || !head[128..].SequenceEqual("DICM"u8))
            throw new DicomFormatException($"{name}: not a DICOM Part 10 file (no DICM prefix at byte 128)");
        string? sopClass = null, sopInstance = null, ts = null;
        var header = new byte[12];
        long pos = 132;
        while (true)
        {
            if (pos - 132 > MaxMetaLength) throw new DicomFormatException($"{name}: file meta information longer than {MaxMetaLength} bytes");
            var n = stream.ReadAtLeast(header.AsSpan(0, 8), 8, throwOnEndOfStream: false);
            if (n < 8) break;
            var group = BinaryPrimitives.ReadUInt16LittleEndian(header);
            if (group != 0x0002) break;
            var element = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(2));
            var vr = Encoding.ASCII.GetString(header, 4, 2);
            uint len;
            int headerLen;
            if (vr is "OB" or "OW" or "UN" or "SQ" or "UT" or "UC" or "UR" or "OD" or "OF" or "OL" or "OV" or "SV" or "UV")
            {
                stream.ReadExactly(header.AsSpan(8, 4));
                len = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8));
                headerLen = 12;
            }
            else
            {
                len = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(6));
                headerLen = 8;
            }
            if (len > MaxMetaLength) throw new DicomFormatException($"{name}: meta element (0002,{element:X4}) of {len} bytes", pos);
            var value = new byte[len];
            stream.ReadExactly(value);
            var text = Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');
            switch (element)
            {
                case 0x0002: sopClass = text; break;
                case 0x0003: sopInstance = text; break;
                case 0x0010: ts = text; break;
            }
            pos += headerLen + len;
        }
        if (sopClass is null || sopInstance is null || ts is null)
            throw new DicomFormatException($"{name}: file meta information lacks (0002,0002), (0002,0003) or (0002,0010)");
        return new Part10Header(sopClass, sopInstance, ts, pos);
    }

    /// <summary>Preamble, "DICM" and the group 0002 elements in explicit VR little endian.</summary>
    public static byte[] Encode(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, string? sourceAeTitle,
        string implementationClassUid, string implementationVersionName)
    {
        var elements = new List<byte[]>
        {
            Element(0x0001, "OB", [0, 1]),
            Element(0x0002, "UI", Uid(sopClassUid)),
            Element(0x0003, "UI", Uid(sopInstanceUid)),
            Element(0x0010, "UI", Uid(transferSyntaxUid)),
            Element(0x0012, "UI", Uid(implementationClassUid)),
            Element(0x0013, "SH", Text(implementationVersionName)),
        };
        if (!string.IsNullOrEmpty(sourceAeTitle)) elements.Add(Element(0x0016, "AE", Text(sourceAeTitle)));
        var groupLength = elements.Sum(e => e.Length);
        var result = new byte[132 + 12 + groupLength];
        "DICM"u8.CopyTo(result.AsSpan(128));
        var gl = Element(0x0000, "UL", BitConverter.GetBytes((uint)groupLength));
        gl.CopyTo(result, 132);
        int at = 144;
        foreach (var e in elements) { e.CopyTo(result, at); at += e.Length; }
        return result;
    }

    private static byte[] Uid(string s) => Pad(Encoding.ASCII.GetBytes(s), 0);
    private static byte[] Text(string s) => Pad(Encoding.ASCII.GetBytes(s), (byte)' ');

    private static byte[] Pad(byte[] b, byte pad)
    {
        if ((b.Length & 1) == 0) return b;
        var p = new byte[b.Length + 1];
        b.CopyTo(p, 0);
        p[^1] = pad;
        return p;
    }

    private static byte[] Element(ushort element, string vr, byte[] value)
    {
        bool longForm = vr == "OB";
        var e = new byte[(longForm ? 12 : 8) + value.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(e, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(e.AsSpan(2), element);
        e[4] = (byte)vr[0];
        e[5] = (byte)vr[1];
        if (longForm) BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(8), (uint)value.Length);
        else BinaryPrimitives.WriteUInt16LittleEndian(e.AsSpan(6), (ushort)value.Length);
        value.CopyTo(e, longForm ? 12 : 8);
        return e;
    }
}
